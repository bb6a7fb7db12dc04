// Loads TypeScript programs the way `pulumi up` does: Pulumi's vendored ts-node, transpile only.
// A .cjs file because it must run before any TypeScript can be loaded.
const path = require("node:path");
const pulumiRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
require(path.join(pulumiRoot, "vendor", "ts-node@7.0.1")).register({
  transpileOnly: true,
  skipProject: true,
  compiler: require.resolve("typescript"),
  compilerOptions: { module: "commonjs", target: "es2020", moduleResolution: "node", esModuleInterop: true },
});
