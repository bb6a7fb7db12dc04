// Runs a command of this package from its build in dist/. The bin files are committed, not built, so
// that npm links the commands at the first install (it skips bins whose files do not exist yet); the
// `prepare` script builds dist/ during that same install.
const path = require("node:path");

/** Loads `dist/<entry>`, or says how to build it when there is no build. */
exports.launch = (entry) => {
  const file = path.join(__dirname, "..", "dist", entry);
  try {
    require.resolve(file);
  } catch {
    process.stderr.write(
      `${path.basename(process.argv[1] || entry)}: this copy of pulumi-onesignal is not built (no ${path.relative(process.cwd(), file)}): run \`npm run build\` in ${path.resolve(__dirname, "..")}\n`,
    );
    process.exit(2);
  }
  require(file);
};
