// A Pulumi program run under mocks that registers 300 resources (100 Segments, 100 Templates, 100 ApiKeys) with
// pulumi-onesignal, or (BENCH_PROVIDER=trivial) the same number of resources of a trivial dynamic provider: the
// baseline. Plain JavaScript, so it runs as it is from the repository and from a project that installed the
// package. Prints the time from process start until the last resource is registered (ms), the same from when the
// SDK was loaded (inProgramMs: what the program itself costs, the package's load included, without the process
// start and SDK load both sides pay), and the size of each serialized provider.
const pulumi = require("@pulumi/pulumi");
const sdkLoaded = performance.now();

const PER_TYPE = Number(process.env.BENCH_PER_TYPE ?? 100);
const sizes = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      if (typeof args.inputs.__provider === "string") sizes.push(args.inputs.__provider.length);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  "bench",
  "dev",
  false,
);

function trivialResources() {
  const provider = (type) => ({
    async create(inputs) {
      return { id: `${type}-${inputs.name}`, outs: inputs };
    },
  });
  const types = ["Segment", "Template", "ApiKey"].map((type) => {
    const instance = provider(type);
    return class extends pulumi.dynamic.Resource {
      constructor(name, args) {
        super(instance, name, args, {}, "trivial", type);
      }
    };
  });
  return { Segment: types[0], Template: types[1], ApiKey: types[2] };
}

const { Segment, Template, ApiKey } =
  process.env.BENCH_PROVIDER === "trivial" ? trivialResources() : require("pulumi-onesignal");
const appId = "4b8e1a1e-0c52-4f4f-9b0e-3d1b1c1d1e1f";
const resources = [];
for (let index = 0; index < PER_TYPE; index++) {
  resources.push(
    new Segment(`segment-${index}`, {
      appId,
      name: `Segment ${index}`,
      filters: [{ field: "tag", key: "cohort", relation: "=", value: String(index) }],
      apiKey: "app-key",
    }),
    new Template(`template-${index}`, {
      appId,
      name: `Template ${index}`,
      channel: "push",
      contents: { en: `Hello ${index}` },
      apiKey: "app-key",
    }),
    new ApiKey(`key-${index}`, { appId, name: `key ${index}` }),
  );
}
Promise.all(resources.map((resource) => new Promise((resolve) => resource.urn.apply(resolve)))).then(() => {
  const ms = performance.now();
  process.stdout.write(
    `${JSON.stringify({ ms, inProgramMs: ms - sdkLoaded, resources: resources.length, providerBytes: Math.max(0, ...sizes), peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
});
