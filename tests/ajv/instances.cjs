// Instances for the Ajv differential test, and Ajv's verdict on each.
//
//   node instances.cjs NPM_PREFIX DOCUMENT.json OUT.jsonl [SPEC]
//
// DOCUMENT.json is an OpenAPI 3.0/3.1 or Swagger 2.0 document as JSON; SPEC, the spec file it came
// from, lets Ajv follow references into other (JSON) files beside it. For every component schema
// it writes instances, one JSON object per line: {component, kind, data, ajv, ajv_errors}. The
// instances are synthesised from the schema (meant to be valid; examples and defaults too) and
// mutated from those (wrong types, out of range, missing required, extra members, bad formats,
// ...). Ajv judges each against the schema converted to plain JSON Schema; the C++ driver then
// judges the same instances with oasgen's generated validators.
'use strict';

const fs = require('fs');
const path = require('path');

const [npmPrefix, documentPath, outPath, specPath] = process.argv.slice(2);
const modules = path.join(npmPrefix, 'node_modules');
const Ajv = require(path.join(modules, 'ajv')).default;
const Ajv2020 = require(path.join(modules, 'ajv', 'dist', '2020')).default;
const addFormats = require(path.join(modules, 'ajv-formats')).default;

const kMaxPerComponent = 120;

// Formats oasgen checks. Ajv is told to accept every other format, as oasgen does.
const kCheckedFormats = new Set(['date-time', 'date', 'time', 'duration', 'email', 'hostname',
  'ipv4', 'ipv6', 'uri', 'uri-reference', 'uuid', 'byte', 'int32', 'int64']);
const kFormatSamples = {
  'date-time': '2024-01-02T03:04:05Z', 'date': '2024-01-02', 'time': '03:04:05Z',
  'duration': 'P1DT2H', 'email': 'user@example.com', 'hostname': 'example.com',
  'ipv4': '192.0.2.1', 'ipv6': '2001:db8::1', 'uri': 'https://example.com/a?b=c',
  'uri-reference': '/a/b?c', 'uuid': '123e4567-e89b-12d3-a456-426614174000', 'byte': 'aGVsbG8=',
};
const kFormatMutations = {
  'date-time': ['2024-02-30T03:04:05Z', '2024-01-02T25:04:05Z', '2024-01-02'],
  'date': ['2024-13-01', '2023-02-29', '24-01-02'], 'time': ['25:00:00Z', '03:04:05'],
  'duration': ['P', 'PT', '1D'], 'email': ['user@', '@example.com', 'a b@example.com'],
  'hostname': ['-example.com', 'exa mple.com'], 'ipv4': ['256.1.1.1', '1.2.3'],
  'ipv6': ['2001:db8:::1', '12345::'], 'uri': ['no scheme', '//example.com'],
  'uri-reference': ['a b', 'http://exa mple.com'], 'uuid': ['123e4567-e89b-12d3-a456-42661417400'],
  'byte': ['aGVsbG8', 'a=b='],
};

const document = JSON.parse(fs.readFileSync(documentPath, 'utf8'));
const openapi31 = typeof document.openapi === 'string' && document.openapi.startsWith('3.1');
const swagger = typeof document.swagger === 'string';
const componentsPointer = swagger ? '/definitions' : '/components/schemas';
const components = (swagger ? document.definitions : (document.components || {}).schemas) || {};

// ---- OpenAPI schema -> JSON Schema, as the specs define it ----------------------------------------
// 3.0 and 2.0: `nullable: true` adds null to `type` (3.0.3: only beside a type; Ajv's own
// `nullable` support is not used), boolean exclusiveMinimum/Maximum become the numeric form.
// Everywhere: `discriminator` is dropped (it is a hint and must not change the outcome), and so is
// `$schema` inside the document.
function convert(node) {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) out[key] = convert(value);
  if (!openapi31) {
    const nullable = out.nullable === true || out['x-nullable'] === true;
    if (nullable && out.type !== undefined) {
      const types = Array.isArray(out.type) ? out.type : [out.type];
      if (!types.includes('null')) out.type = [...types, 'null'];
    }
    if (typeof out.nullable === 'boolean') delete out.nullable;
    if (typeof out['x-nullable'] === 'boolean') delete out['x-nullable'];
    for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
      if (typeof out[flag] === 'boolean') {
        if (out[flag] && typeof out[bound] === 'number') {
          out[flag] = out[bound];
          delete out[bound];
        } else {
          delete out[flag];
        }
      }
    }
  }
  if (out.discriminator && typeof out.discriminator === 'object' &&
      typeof out.discriminator.propertyName === 'string') {
    delete out.discriminator;
  }
  if (typeof out.$schema === 'string') delete out.$schema;
  return out;
}

const converted = convert(document);
const formatsUsed = new Set();
(function collect(node) {
  if (Array.isArray(node)) return node.forEach(collect);
  if (node === null || typeof node !== 'object') return;
  if (typeof node.format === 'string') formatsUsed.add(node.format);
  Object.values(node).forEach(collect);
})(converted);

const ajv = new (openapi31 ? Ajv2020 : Ajv)({
  strict: false, allErrors: true, validateSchema: false, allowUnionTypes: true,
});
addFormats(ajv);
for (const format of formatsUsed) {
  if (!kCheckedFormats.has(format)) ajv.addFormat(format, true);
}
ajv.addSchema(converted, 'doc.json');

// Other files the document refers to, under their paths relative to the spec (JSON files only).
if (specPath) {
  const root = path.dirname(specPath);
  const added = new Set(['doc.json']);
  const pending = [[converted, '.']];
  while (pending.length) {
    const [node, dir] = pending.pop();
    (function refs(value) {
      if (Array.isArray(value)) return value.forEach(refs);
      if (value === null || typeof value !== 'object') return;
      if (typeof value.$ref === 'string' && !value.$ref.startsWith('#')) {
        const file = path.posix.normalize(path.posix.join(dir, value.$ref.split('#')[0]));
        if (!added.has(file) && file.endsWith('.json') && fs.existsSync(path.join(root, file))) {
          added.add(file);
          const other = convert(JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')));
          ajv.addSchema(other, file);
          pending.push([other, path.posix.dirname(file)]);
        }
      }
      Object.entries(value).forEach(([key, child]) => { if (!key.startsWith('x-')) refs(child); });
    })(node);
  }
}

// ---- synthesis ------------------------------------------------------------------------------------

function pointerGet(root, pointer) {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(token in node)) return undefined;
    node = node[token];
  }
  return node;
}

function deref(schema) {
  for (let hops = 0; hops < 20; ++hops) {
    if (!schema || typeof schema !== 'object' || typeof schema.$ref !== 'string') return schema;
    if (!schema.$ref.startsWith('#')) return undefined;
    schema = pointerGet(converted, schema.$ref.slice(1));
  }
  return undefined;
}

function regexOf(pattern) {
  try {
    return new RegExp(pattern, 'u');
  } catch (e) {
    return null;
  }
}

function firstType(schema) {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const nonNull = types.filter((t) => t !== 'null');
  if (nonNull.length) return nonNull[0];
  if (types.length) return 'null';
  if (schema.properties || schema.required || schema.additionalProperties) return 'object';
  if (schema.items || schema.prefixItems) return 'array';
  if (schema.format || schema.pattern || schema.minLength !== undefined) return 'string';
  if (schema.minimum !== undefined || schema.maximum !== undefined) return 'number';
  return undefined;
}

function synthString(schema) {
  const min = schema.minLength || 0;
  const max = schema.maxLength === undefined ? Infinity : schema.maxLength;
  const candidates = [];
  if (kFormatSamples[schema.format]) candidates.push(kFormatSamples[schema.format]);
  for (const key of ['example', 'default']) {
    if (typeof schema[key] === 'string') candidates.push(schema[key]);
  }
  if (Array.isArray(schema.examples)) candidates.push(...schema.examples.filter((e) => typeof e === 'string'));
  candidates.push('abc', 'ABC', 'abc123', 'a', 'A1', '1', '123', 'abc-def', 'a_b', 'abc def',
    '2024-01-02', 'user@example.com', 'https://example.com', 'en-US', 'USD', 'x');
  const regex = schema.pattern ? regexOf(schema.pattern) : null;
  const fits = (s) => [...s].length >= min && [...s].length <= max && (!regex || regex.test(s));
  for (const candidate of candidates) {
    if (fits(candidate)) return candidate;
    const padded = candidate.padEnd(min, 'a');
    if (fits(padded)) return padded;
  }
  return 'a'.repeat(Math.min(min, 64) || 1);
}

function synthNumber(schema, integer) {
  let lo = typeof schema.minimum === 'number' ? schema.minimum : -Infinity;
  let hi = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
  if (typeof schema.exclusiveMinimum === 'number') lo = Math.max(lo, schema.exclusiveMinimum + (integer ? 1 : 0.5));
  if (typeof schema.exclusiveMaximum === 'number') hi = Math.min(hi, schema.exclusiveMaximum - (integer ? 1 : 0.5));
  let value = lo !== -Infinity ? lo : hi !== Infinity ? Math.min(hi, 1) : 1;
  if (integer || schema.format === 'int32' || schema.format === 'int64') value = Math.ceil(value);
  const m = schema.multipleOf;
  if (typeof m === 'number' && m > 0) value = Math.ceil(value / m) * m;
  return value;
}

function merge(a, b) {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    return { ...a, ...b };
  }
  return a === undefined ? b : a;
}

// A value meant to satisfy `schema` (best effort: the verdicts are compared either way). `choice`
// picks among alternatives and enum values; `full` adds optional properties.
function synth(raw, depth, choice, full) {
  if (raw === true || raw === undefined) return 'any';
  if (raw === false) return undefined;
  const schema = deref(raw);
  if (!schema || typeof schema !== 'object' || depth > 7) return undefined;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[choice % schema.enum.length];
  let value;
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) value = merge(value, synth(part, depth + 1, choice, full));
  }
  for (const key of ['oneOf', 'anyOf']) {
    if (Array.isArray(schema[key]) && schema[key].length) {
      value = merge(value, synth(schema[key][choice % schema[key].length], depth + 1, choice, full));
    }
  }
  const type = firstType(schema);
  let own;
  switch (type) {
    case 'null': own = null; break;
    case 'boolean': own = true; break;
    case 'integer': own = synthNumber(schema, true); break;
    case 'number': own = synthNumber(schema, false); break;
    case 'string': own = synthString(schema); break;
    case 'array': {
      own = [];
      const count = Math.min(Math.max(schema.minItems || 0, 1), schema.maxItems === undefined ? 2 : schema.maxItems);
      const prefix = schema.prefixItems || (Array.isArray(schema.items) ? schema.items : []);
      for (let i = 0; i < count; ++i) {
        const itemSchema = i < prefix.length ? prefix[i] : Array.isArray(schema.items) ? schema.additionalItems : schema.items;
        const item = synth(itemSchema, depth + 1, choice + i, full);
        if (item === undefined) break;
        own.push(item);
      }
      break;
    }
    case 'object': {
      own = {};
      const properties = schema.properties || {};
      const required = Array.isArray(schema.required) ? schema.required : [];
      const names = full ? [...new Set([...required, ...Object.keys(properties)])] : required;
      for (const name of names) {
        const item = name in properties ? synth(properties[name], depth + 1, choice, full) : 'x';
        if (item !== undefined) own[name] = item;
      }
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && full) {
        const item = synth(schema.additionalProperties, depth + 1, choice, false);
        if (item !== undefined && !('extra' in own)) own.extra = item;
      }
      break;
    }
    default:
      own = value === undefined ? 'any' : undefined;
  }
  return merge(value, own);
}

// ---- mutation -------------------------------------------------------------------------------------

function clone(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

// Paths of the instance, breadth first, at most `limit`.
function paths(value, limit) {
  const out = [[]];
  for (let i = 0; i < out.length && out.length < limit; ++i) {
    const node = getAt(value, out[i]);
    if (node && typeof node === 'object') {
      for (const key of Object.keys(node).slice(0, 8)) {
        if (out.length < limit) out.push([...out[i], Array.isArray(node) ? Number(key) : key]);
      }
    }
  }
  return out;
}

function getAt(value, at) {
  return at.reduce((node, key) => (node === undefined || node === null ? undefined : node[key]), value);
}

function setAt(value, at, replacement) {
  if (at.length === 0) return replacement;
  const copy = clone(value);
  const parent = getAt(copy, at.slice(0, -1));
  parent[at[at.length - 1]] = replacement;
  return copy;
}

function mutations(valid) {
  const out = [];
  const add = (kind, data) => out.push({ kind, data });
  for (const at of paths(valid, 12)) {
    const where = '/' + at.join('/');
    const node = getAt(valid, at);
    for (const replacement of [null, 7, 2.5, 'mutated', true, [], {}]) {
      if (JSON.stringify(replacement) !== JSON.stringify(node)) add(`type ${where}`, setAt(valid, at, replacement));
    }
    if (typeof node === 'number') {
      for (const n of [node + 1, node - 1, node + 0.5, -node - 1e6, node + 1e6]) add(`range ${where}`, setAt(valid, at, n));
    } else if (typeof node === 'string') {
      for (const s of ['', 'x'.repeat(300), node + 'é', '!@#', ' ' + node]) add(`string ${where}`, setAt(valid, at, s));
    } else if (Array.isArray(node)) {
      add(`items ${where}`, setAt(valid, at, []));
      if (node.length) add(`items ${where}`, setAt(valid, at, [...node, ...node, ...node]));
    } else if (node && typeof node === 'object') {
      for (const key of Object.keys(node).slice(0, 6)) {
        const copy = clone(node);
        delete copy[key];
        add(`missing ${where}/${key}`, setAt(valid, at, copy));
      }
      add(`extra ${where}`, setAt(valid, at, { ...node, unexpectedProperty: 'x' }));
      add(`empty ${where}`, setAt(valid, at, {}));
    }
  }
  return out;
}

// Bad values for each formatted string found in the instance.
function formatMutations(schema, valid, depth, at, out) {
  schema = deref(schema);
  if (!schema || typeof schema !== 'object' || depth > 5) return;
  const value = getAt(valid, at);
  if (typeof value === 'string' && kFormatMutations[schema.format]) {
    for (const bad of kFormatMutations[schema.format]) out.push({ kind: `format ${schema.format}`, data: setAt(valid, at, bad) });
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && schema.properties) {
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (name in value) formatMutations(sub, valid, depth + 1, [...at, name], out);
    }
  }
  for (const part of schema.allOf || []) formatMutations(part, valid, depth + 1, at, out);
}

// ---- run ------------------------------------------------------------------------------------------

const lines = [];
let skipped = 0;
for (const name of Object.keys(components).sort()) {
  const ref = 'doc.json#' + componentsPointer + '/' + encodeURIComponent(name.replace(/~/g, '~0').replace(/\//g, '~1'));
  let validate;
  try {
    validate = ajv.compile({ $ref: ref });
  } catch (e) {
    ++skipped;
    process.stderr.write(`ajv cannot compile ${name}: ${e.message}\n`);
    continue;
  }
  const schema = pointerGet(converted, componentsPointer + '/' + name.replace(/~/g, '~0').replace(/\//g, '~1'));
  const candidates = [];
  for (let choice = 0; choice < 3; ++choice) {
    for (const full of [false, true]) {
      const value = synth(schema, 0, choice, full);
      if (value !== undefined) candidates.push({ kind: `synthesised ${choice}${full ? ' full' : ''}`, data: value });
    }
  }
  const raw = deref(schema) || {};
  for (const key of ['example', 'default']) {
    if (raw[key] !== undefined) candidates.push({ kind: key, data: raw[key] });
  }
  const seen = new Set();
  const instances = [];
  const push = (instance) => {
    const text = JSON.stringify(instance.data);
    if (text === undefined || seen.has(text)) return;
    seen.add(text);
    instances.push(instance);
  };
  candidates.forEach(push);
  // Mutations start from valid instances, the fullest first: they reach the most keywords.
  const valid = candidates.filter((c) => validate(c.data));
  valid.sort((a, b) => JSON.stringify(b.data).length - JSON.stringify(a.data).length);
  const bases = valid.length ? valid.slice(0, 2) : candidates.slice(0, 1);
  for (const base of bases) {
    const extra = [];
    formatMutations(schema, base.data, 0, [], extra);
    extra.forEach(push);
    mutations(base.data).forEach(push);
  }
  for (const instance of instances.slice(0, kMaxPerComponent)) {
    const ok = validate(instance.data);
    const errors = ok ? [] : (validate.errors || []).slice(0, 3).map((e) => `${e.instancePath} ${e.keyword}: ${e.message}`);
    lines.push(JSON.stringify({ component: name, kind: instance.kind, data: instance.data, ajv: ok, ajv_errors: errors }));
  }
}
fs.writeFileSync(outPath, lines.join('\n') + (lines.length ? '\n' : ''));
process.stderr.write(`instances: ${lines.length} for ${Object.keys(components).length - skipped} components` +
  (skipped ? `, ${skipped} components Ajv cannot compile` : '') + '\n');
