// Validation of a Teams app manifest against Microsoft's official JSON schema.
//
// The schema file is not vendored: it comes from the npm package @microsoft/app-manifest (published by
// Microsoft from the microsoft-365-agents-toolkit repository), pinned in package.json. Its copy of
// https://developer.microsoft.com/json-schemas/teams/v1.25/MicrosoftTeams.schema.json lives at
// build/json-schemas/teams/v1.25/MicrosoftTeams.schema.json inside that package.
import { readFileSync } from 'node:fs';
import Ajv04 from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const MANIFEST_VERSION = '1.25';
export const SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
const SCHEMA_PACKAGE = '@microsoft/app-manifest';
const SCHEMA_PATH_IN_PACKAGE = `build/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;

function schemaFilePath(): string {
  return require.resolve(`${SCHEMA_PACKAGE}/${SCHEMA_PATH_IN_PACKAGE}`);
}

export function loadManifestSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(schemaFilePath(), 'utf8')) as Record<string, unknown>;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    // The official schema is draft-04. Ajv's strictTypes/strictRequired checks lint the schema itself
    // (it leaves some `type`s implicit), they do not change what is valid, so they are turned off;
    // unknown keywords and formats still make compilation fail.
    const ajv = new Ajv04({ allErrors: true, strictTypes: false, strictRequired: false });
    addFormats(ajv);
    compiled = ajv.compile(loadManifestSchema());
  }
  return compiled;
}

export interface SchemaResult {
  valid: boolean;
  errors: string[];
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '(manifest)';
  const extra =
    error.keyword === 'additionalProperties'
      ? ` "${String((error.params as { additionalProperty?: unknown }).additionalProperty)}"`
      : '';
  return `${where} ${error.message ?? error.keyword}${extra}`;
}

/** Validates a manifest object against the official Teams manifest schema. */
export function validateManifest(manifest: unknown): SchemaResult {
  const validate = validator();
  const valid = validate(manifest) as boolean;
  return { valid, errors: valid ? [] : (validate.errors ?? []).map(describe) };
}
