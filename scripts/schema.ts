/**
 * Generates the provider plugin's package schema (`provider/plugin/schema.json`) from the one source
 * of truth, the resources' TypeScript types: each resource's `<Name>Args` (which inputs are required),
 * `<Name>Inputs` (their types) and `<Name>Outputs`, with the TSDoc of each property and class as its
 * description, and the registry's secret outputs and unreadable outputs. The provider's configuration comes from
 * `PartialSettings`.
 *
 *   npm run -s schema           write provider/plugin/schema.json
 *   npm run -s schema -- --check  exit 1 when the file differs from what the types give
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { INVOKE_ROWS, invokeToken, invokeTypeName } from "../provider/plugin/invoke-rows";
import { PACKAGE_NAME, pluginTypeToken, RESOURCE_ROWS, type ResourceRow } from "../provider/resources/registry";

const ROOT = path.resolve(__dirname, "..");
/** Where the generated schema lives; the plugin serves it. */
export const SCHEMA_FILE = path.join(ROOT, "provider", "plugin", "schema.json");

/** The Go module of the generated Go SDK (`sdk/go` in this repository). */
export const GO_MODULE_PATH = "github.com/pulumi-onesignal/pulumi-onesignal/sdk/go";
/** The Go package of the SDK, inside that module. */
export const GO_IMPORT_PATH = `${GO_MODULE_PATH}/onesignal`;
/** The generated Python SDK's package (`pip install ./sdk/python`). */
export const PYTHON_PACKAGE = "pulumi_onesignal";

/** A Pulumi schema type. */
type TypeSpec = Record<string, unknown>;
type PropertySpec = TypeSpec & { description?: string; secret?: boolean };

const ANY: TypeSpec = { $ref: "pulumi.json#/Any" };

/** The package schema the types give (without `version`, which the plugin adds from package.json). */
export function generateSchema(): Record<string, unknown> {
  const files = RESOURCE_ROWS.map((resource) => resourceFile(resource));
  const configFile = path.join(ROOT, "provider", "config.ts");
  const invokesFile = path.join(ROOT, "provider", "plugin", "invoke-rows.ts");
  const program = ts.createProgram([...files, configFile, invokesFile], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    resolveJsonModule: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const objectTypes: Record<string, TypeSpec> = {};
  const converter = new TypeConverter(checker, objectTypes);

  const resources: Record<string, unknown> = {};
  for (const resource of RESOURCE_ROWS) {
    const token = pluginTypeToken(resource);
    const source = program.getSourceFile(resourceFile(resource));
    if (!source) throw new Error(`cannot read ${resourceFile(resource)}`);
    const exported = exportsOf(checker, source);
    const inputs = declaredType(checker, exported, `${resource.name}Inputs`);
    const outputs = declaredType(checker, exported, `${resource.name}Outputs`);
    const args = declaredType(checker, exported, `${resource.name}Args`);
    const secrets = new Set(resource.secretOutputs);
    const unreadable = new Set(resource.unreadable?.names ?? []);
    const describe = (name: string, spec: PropertySpec): PropertySpec => {
      const described = { ...spec };
      if (secrets.has(name)) described.secret = true;
      if (unreadable.has(name) && resource.unreadable) {
        described.description = `${described.description ?? ""} ${capitalize(resource.unreadable.reason)}.`.trim();
      }
      return described;
    };
    const inputProperties = converter.properties(inputs, describe);
    const properties = converter.properties(outputs, describe);
    resources[token] = {
      description: classDocOf(exported.get(resource.name)),
      properties,
      required: requiredOf(checker, outputs).filter((name) => !unreadable.has(name)),
      inputProperties,
      requiredInputs: requiredOf(checker, args),
    };
  }

  const invokesSource = program.getSourceFile(invokesFile);
  if (!invokesSource) throw new Error(`cannot read ${invokesFile}`);
  const invokeTypes = exportsOf(checker, invokesSource);
  const functions: Record<string, unknown> = {};
  for (const row of INVOKE_ROWS) {
    const args = declaredType(checker, invokeTypes, `${invokeTypeName(row)}Args`);
    const result = declaredType(checker, invokeTypes, `${invokeTypeName(row)}Result`);
    const objectOf = (type: ts.Type, secret: string[]) => {
      const required = requiredOf(checker, type);
      const properties = converter.properties(type, (name, spec) =>
        secret.includes(name) ? { ...spec, secret: true } : spec,
      );
      return { properties, ...(required.length > 0 ? { required } : {}) };
    };
    functions[invokeToken(row)] = {
      description: row.description,
      inputs: objectOf(args, ["apiKey"]),
      outputs: objectOf(result, []),
    };
  }

  const configSource = program.getSourceFile(configFile);
  if (!configSource) throw new Error(`cannot read ${configFile}`);
  const settings = declaredType(checker, exportsOf(checker, configSource), "PartialSettings");
  const variables: Record<string, PropertySpec> = {};
  for (const property of checker.getPropertiesOfType(settings)) {
    const spec: PropertySpec = {
      type: property.name.endsWith("Ms") ? "integer" : "string",
      description: docOf(checker, property),
    };
    if (property.name.endsWith("ApiKey")) spec.secret = true;
    variables[property.name] = spec;
  }

  return {
    name: PACKAGE_NAME,
    displayName: "OneSignal",
    description: "OneSignal apps, API keys, segments and templates as code.",
    keywords: ["pulumi", "onesignal", "category/utility", "kind/native"],
    homepage: "https://github.com/pulumi-onesignal/pulumi-onesignal",
    license: "MIT",
    publisher: "pulumi-onesignal",
    // A function's token names its module as `index/<name>` (`onesignal:index/getApp:getApp`, Pulumi's usual form):
    // the module is what comes before the last slash.
    meta: { moduleFormat: "(.*)(?:/[^/]*)" },
    config: { variables },
    // What Pulumi's generators need for the SDKs (scripts/sdk.ts): where the Go package lives, the Python package name.
    language: {
      go: {
        importBasePath: GO_IMPORT_PATH,
        modulePath: GO_MODULE_PATH,
        respectSchemaVersion: true,
        generateResourceContainerTypes: true,
      },
      python: { packageName: PYTHON_PACKAGE, respectSchemaVersion: true, pyproject: { enabled: true } },
    },
    provider: { description: "The OneSignal provider's settings.", inputProperties: variables },
    types: objectTypes,
    resources,
    functions,
  };
}

/** The schema as it is written to the file (stable key order, two-space indent). */
export function schemaText(): string {
  return `${JSON.stringify(generateSchema(), null, 2)}\n`;
}

/** Turns TypeScript types into schema types, collecting the object types it meets. */
class TypeConverter {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly objectTypes: Record<string, TypeSpec>,
  ) {}

  /** The properties of an object type, each described by its TSDoc. */
  properties(
    type: ts.Type,
    describe: (name: string, spec: PropertySpec) => PropertySpec = (_name, spec) => spec,
  ): Record<string, PropertySpec> {
    const out: Record<string, PropertySpec> = {};
    for (const property of this.checker.getPropertiesOfType(type)) {
      const spec: PropertySpec = { ...this.convert(this.propertyType(property)) };
      const doc = docOf(this.checker, property);
      if (doc) spec.description = doc;
      out[property.name] = describe(property.name, spec);
    }
    return out;
  }

  convert(type: ts.Type): TypeSpec {
    const members = (type.isUnion() ? type.types : [type]).filter(
      (member) => !(member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)),
    );
    if (members.length === 0 || members.some((member) => member.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) {
      return ANY;
    }
    const kinds = new Set(members.map((member) => this.primitive(member)));
    if (kinds.size === 1) {
      const [kind] = kinds;
      if (kind) return { type: kind };
    }
    if ([...kinds].every((kind) => kind === "string" || kind === "number" || kind === "boolean")) {
      // A text or a number (rotation, filter values): YAML takes either.
      return { type: "string", oneOf: [...kinds].map((kind) => ({ type: kind })) };
    }
    if (members.length === 1 && members[0]) {
      const only = members[0];
      if (this.checker.isArrayType(only)) {
        const [item] = this.checker.getTypeArguments(only as ts.TypeReference);
        return { type: "array", items: item ? this.convert(item) : ANY };
      }
      const index = this.checker.getIndexInfoOfType(only, ts.IndexKind.String);
      if (index && this.checker.getPropertiesOfType(only).length === 0) {
        return { type: "object", additionalProperties: this.convert(index.type) };
      }
    }
    if (members.every((member) => member.flags & ts.TypeFlags.Object && !this.checker.isArrayType(member))) {
      return { $ref: `#/types/${this.objectType(type, members)}` };
    }
    return ANY;
  }

  private primitive(type: ts.Type): string | undefined {
    // A Date goes over the wire as its ISO 8601 text.
    if (type.getSymbol()?.getName() === "Date") return "string";
    if (type.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral)) return "string";
    if (type.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return "number";
    if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return "boolean";
    return undefined;
  }

  /** An object type (the members of a union merged: each property optional unless in all of them). */
  private objectType(type: ts.Type, members: ts.Type[]): string {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const name = symbol?.getName();
    if (!name || name.startsWith("__"))
      throw new Error(`an object type needs a name: ${this.checker.typeToString(type)}`);
    const token = `${PACKAGE_NAME}:index:${name}`;
    if (this.objectTypes[token]) return token;
    this.objectTypes[token] = {}; // placeholder against recursion
    const properties: Record<string, PropertySpec> = {};
    const counts = new Map<string, number>();
    for (const member of members) {
      for (const property of this.checker.getPropertiesOfType(member)) {
        const spec: PropertySpec = { ...this.convert(this.propertyType(property)) };
        const doc = docOf(this.checker, property);
        if (doc) spec.description = doc;
        const seen = properties[property.name];
        // The same name with different types in different members: any of them.
        properties[property.name] = seen && !sameShape(seen, spec) ? { ...ANY, ...describedBy(seen) } : (seen ?? spec);
        if (!(property.flags & ts.SymbolFlags.Optional))
          counts.set(property.name, (counts.get(property.name) ?? 0) + 1);
      }
    }
    const required = Object.keys(properties).filter((key) => counts.get(key) === members.length);
    this.objectTypes[token] = {
      description: docOf(this.checker, symbol),
      type: "object",
      properties,
      ...(required.length > 0 ? { required } : {}),
    };
    return token;
  }

  private propertyType(property: ts.Symbol): ts.Type {
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    return declaration
      ? this.checker.getTypeOfSymbolAtLocation(property, declaration)
      : this.checker.getTypeOfSymbol(property);
  }
}

function sameShape(a: PropertySpec, b: PropertySpec): boolean {
  const strip = ({ description: _d, ...rest }: PropertySpec) => JSON.stringify(rest);
  return strip(a) === strip(b);
}

function describedBy(spec: PropertySpec): { description?: string } {
  return spec.description ? { description: spec.description } : {};
}

function resourceFile(resource: ResourceRow): string {
  return path.join(ROOT, "provider", "resources", `${resource.module}.ts`);
}

function exportsOf(checker: ts.TypeChecker, source: ts.SourceFile): Map<string, ts.Symbol> {
  const module = checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`${source.fileName} has no exports`);
  return new Map(checker.getExportsOfModule(module).map((symbol) => [symbol.getName(), symbol]));
}

function declaredType(checker: ts.TypeChecker, exported: Map<string, ts.Symbol>, name: string): ts.Type {
  const symbol = exported.get(name);
  if (!symbol) throw new Error(`${name} is not exported`);
  return checker.getDeclaredTypeOfSymbol(symbol);
}

/** The names of the properties that are not optional. */
function requiredOf(checker: ts.TypeChecker, type: ts.Type): string[] {
  return checker
    .getPropertiesOfType(type)
    .filter((property) => !(property.flags & ts.SymbolFlags.Optional))
    .map((property) => property.getName());
}

/** A symbol's TSDoc as one line of text, links kept as their text. */
function docOf(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): string {
  if (!symbol) return "";
  return ts
    .displayPartsToString(symbol.getDocumentationComment(checker))
    .replace(/\s*\n\s*/g, " ")
    .trim();
}

/** The TSDoc of a class alone (the interface merged with it documents its outputs). */
function classDocOf(symbol: ts.Symbol | undefined): string {
  const declaration = symbol?.declarations?.find(ts.isClassDeclaration);
  if (!declaration) throw new Error(`${symbol?.getName()} is not a class`);
  return ts
    .getJSDocCommentsAndTags(declaration)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "")
    .join(" ")
    .replace(/\s*\n\s*/g, " ")
    .trim();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

if (require.main === module) {
  const text = schemaText();
  if (process.argv.includes("--check")) {
    if (readFileSync(SCHEMA_FILE, "utf8") !== text) {
      process.stderr.write(`${path.relative(ROOT, SCHEMA_FILE)} differs from the types: run \`npm run -s schema\`.\n`);
      process.exit(1);
    }
    process.stdout.write(`${path.relative(ROOT, SCHEMA_FILE)} matches the types.\n`);
  } else {
    writeFileSync(SCHEMA_FILE, text);
    process.stdout.write(`wrote ${path.relative(ROOT, SCHEMA_FILE)}\n`);
  }
}
