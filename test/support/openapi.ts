import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import addFormats from "ajv-formats";
import { OpenAPIBackend } from "openapi-backend";
import { parse } from "yaml";
import { ROOT } from "./processes";
import type { Exchange } from "./recording-proxy";

/**
 * Where OneSignal's OpenAPI descriptions are: `ONESIGNAL_OPENAPI_DIR`, else the copies kept in this repository
 * (`test/fixtures/openapi`, MIT, with OneSignal's notice).
 */
export const OPENAPI_DIR = path.resolve(ROOT, process.env.ONESIGNAL_OPENAPI_DIR || "test/fixtures/openapi");

/** Whether the descriptions are present; under CI their absence is an error, not a skip. */
export function openApiAvailable(file = "onesignal-current.yaml"): boolean {
  const present = existsSync(path.join(OPENAPI_DIR, file));
  if (!present && process.env.CI === "true") {
    throw new Error(
      `OneSignal's OpenAPI description is missing at ${OPENAPI_DIR}/${file} (set ONESIGNAL_OPENAPI_DIR).`,
    );
  }
  if (!present) {
    process.stderr.write(`contract tests skipped: no ${file} in ${OPENAPI_DIR} (set ONESIGNAL_OPENAPI_DIR)\n`);
  }
  return present;
}

type Schema = Record<string, unknown>;

/** A loaded OpenAPI description with request and response validation. */
export interface Contract {
  api: OpenAPIBackend;
  /** Property names marked readOnly / writeOnly in the schema a body is validated against. */
  schemaFor(operationId: string, kind: "request" | { status: number }): Schema | undefined;
}

/**
 * Loads a description. Path keys with a literal query (`/players/csv_export?app_id={app_id}`) are cut at
 * the `?`, since OneSignal declares that parameter in the path by mistake.
 */
export async function loadContract(file = "onesignal-current.yaml"): Promise<Contract> {
  const definition = parse(readFileSync(path.join(OPENAPI_DIR, file), "utf8")) as {
    paths: Record<string, unknown>;
    components: { schemas: Record<string, Schema> };
  };
  // OneSignal's FilterExpression is `oneOf: [Filter, Operator]` where neither requires anything, so every
  // filter matches both and no body can pass. The legacy description required `field`; requiring `field`
  // and `operator` makes the two alternatives exclusive again, as the API means them.
  const schemas = definition.components.schemas;
  if (schemas.Filter && schemas.Operator) {
    schemas.Filter.required = ["field"];
    schemas.Operator.required = ["operator"];
  }
  // The legacy description types `errors` as objects, yet the v1 API answers strings (its docs and fixtures);
  // the current description leaves `errors` untyped, as here.
  const errorsSchema = (schemas.GenericError?.properties as Record<string, Schema> | undefined)?.errors;
  if (errorsSchema && schemas.GenericError) {
    schemas.GenericError.properties = { ...(schemas.GenericError.properties as object), errors: {} };
  }
  // The history body is marked `required: [id]`, a field it does not have; OneSignal's docs require app_id and events.
  const historySchemas = [
    (schemas as Record<string, Schema>).get_notification_history_request_body,
    (
      (definition.paths["/notifications/{notification_id}/history"] as Record<string, Schema> | undefined)?.post
        ?.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined
    )?.content?.["application/json"]?.schema,
  ];
  for (const schema of historySchemas) {
    if (schema && Array.isArray(schema.required) && schema.required.includes("id"))
      schema.required = ["app_id", "events"];
  }
  // The legacy description reuses `Player` (which requires device_type) as the body of PUT /players/{id};
  // OneSignal's "Edit device" documentation takes only the changed fields there.
  const editPlayer = (definition.paths["/players/{player_id}"] as Record<string, Schema> | undefined)?.put;
  const editSchema = (editPlayer?.requestBody as Schema | undefined)?.content as
    | Record<string, { schema?: Schema }>
    | undefined;
  if (editSchema?.["application/json"] && schemas.Player) {
    editSchema["application/json"].schema = { ...schemas.Player, required: [] };
  }
  definition.paths = Object.fromEntries(
    Object.entries(definition.paths).map(([key, value]) => {
      const [path, query] = key.split("?");
      // A parameter that the key puts in the query but the description calls a path parameter is a query one.
      if (query) {
        for (const operation of Object.values(value as Record<string, { parameters?: Schema[] }>)) {
          for (const parameter of operation.parameters ?? []) {
            if (parameter.in === "path" && !(path as string).includes(`{${String(parameter.name)}}`)) {
              Object.assign(parameter, { in: "query", style: "form", explode: true });
            }
          }
        }
      }
      return [path as string, value];
    }),
  );
  // OneSignal's own description fails openapi-backend's document check (a requestBody beside a $ref), which
  // would skip dereferencing; quick mode dereferences without that check. Requests and responses are validated.
  const api = new OpenAPIBackend({
    definition: definition as never,
    quick: true,
    validate: true,
    strict: false,
    // Formats such as date-time are checked too, not ignored.
    customizeAjv: (ajv) => {
      addFormats(ajv as never);
      return ajv;
    },
  });
  await api.init();
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    const ref = schema?.$ref;
    if (typeof ref === "string") return definition.components.schemas[ref.replace("#/components/schemas/", "")];
    const items = schema?.items as Schema | undefined;
    if (schema?.type === "array" && items) return resolve(items);
    return schema;
  };
  return {
    api,
    schemaFor(operationId, kind) {
      const operation = api.getOperation(operationId) as unknown as {
        requestBody?: { content?: Record<string, { schema?: Schema }> };
        responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
      };
      if (kind === "request") return resolve(operation.requestBody?.content?.["application/json"]?.schema);
      const response = operation.responses?.[String(kind.status)] ?? operation.responses?.default;
      return resolve(response?.content?.["application/json"]?.schema);
    },
  };
}

/** Names of properties with `flag` (readOnly or writeOnly) that `body` carries. */
export function flaggedProperties(schema: Schema | undefined, body: unknown, flag: "readOnly" | "writeOnly"): string[] {
  const properties = schema?.properties as Record<string, Schema> | undefined;
  if (!properties) return [];
  const bodies = Array.isArray(body) ? body : [body];
  const found: string[] = [];
  for (const item of bodies) {
    if (typeof item !== "object" || item === null) continue;
    for (const key of Object.keys(item)) if (properties[key]?.[flag] === true) found.push(key);
  }
  return found;
}

/** What the contract says of one recorded exchange. */
export interface ExchangeReport {
  operationId: string;
  requestErrors: unknown[];
  responseErrors: unknown[];
  /** readOnly properties the request carried. */
  readOnlySent: string[];
  /** writeOnly properties the response carried. */
  writeOnlyReturned: string[];
}

/** Checks one exchange (as a recording proxy saw it) against the description. */
export function checkExchange(contract: Contract, exchange: Exchange): ExchangeReport {
  const request = {
    method: exchange.method.toLowerCase(),
    path: exchange.path,
    query: exchange.query,
    headers: exchange.headers,
    body: exchange.requestBody,
  };
  const operation = contract.api.matchOperation(request);
  if (!operation?.operationId) throw new Error(`no operation in the spec for ${exchange.method} ${exchange.path}`);
  const operationId = operation.operationId;
  return {
    operationId,
    requestErrors: contract.api.validateRequest(request, operation).errors ?? [],
    responseErrors: contract.api.validateResponse(exchange.responseBody, operation, exchange.status).errors ?? [],
    readOnlySent: flaggedProperties(contract.schemaFor(operationId, "request"), exchange.requestBody, "readOnly"),
    writeOnlyReturned: flaggedProperties(
      contract.schemaFor(operationId, { status: exchange.status }),
      exchange.responseBody,
      "writeOnly",
    ),
  };
}

/** "operationId status" of each exchange, sorted and without repeats: what a test covered. */
export function coveredOperations(pairs: { contract: Contract; exchange: Exchange }[]): string[] {
  return [
    ...new Set(
      pairs.map(({ contract, exchange }) => `${checkExchange(contract, exchange).operationId} ${exchange.status}`),
    ),
  ].sort();
}

/**
 * Every way the exchanges break the contract, one line each: invalid requests or responses, read-only
 * fields sent, write-only fields returned, a request without `Authorization: Key`. Empty when all hold.
 */
export function contractViolations(pairs: { contract: Contract; exchange: Exchange }[]): string[] {
  const violations: string[] = [];
  for (const { contract, exchange } of pairs) {
    const report = checkExchange(contract, exchange);
    const where = `${exchange.status} ${exchange.method} ${exchange.path}`;
    for (const error of report.requestErrors) violations.push(`${where}: request ${JSON.stringify(error)}`);
    for (const error of report.responseErrors) violations.push(`${where}: response ${JSON.stringify(error)}`);
    for (const field of report.readOnlySent) violations.push(`${where}: sent read-only ${field}`);
    for (const field of report.writeOnlyReturned) violations.push(`${where}: returned write-only ${field}`);
    if (!/^Key \S+$/.test(exchange.headers.authorization ?? ""))
      violations.push(`${where}: no Authorization: Key header`);
  }
  return violations;
}
