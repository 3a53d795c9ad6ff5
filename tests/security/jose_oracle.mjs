// The JWT oracle's cases: npm `jose` (an independent implementation) makes keys, a JWK Set and PEM
// keys for every algorithm oasgen verifies, signs valid tokens and attacks on them, and verifies
// each token itself. The cases go to a JSON file that jose_oracle_driver checks oasgen against.
//
//   node jose_oracle.mjs OUT.json     (run from a folder whose node_modules holds jose)
import { writeFileSync } from 'node:fs';
import * as jose from 'jose';

const out = process.argv[2];
const now = Math.floor(Date.now() / 1000);
const config = {
  now,
  leeway: 30,
  issuer: 'https://issuer.example',
  audience: 'pets-api',
  max_token_bytes: 8192,
};
const ALGS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];
const HASH_BYTES = { HS256: 32, HS384: 48, HS512: 64 };
const enc = new TextEncoder();
const b64 = (bytes) => jose.base64url.encode(bytes);

// One key per algorithm (kid = the algorithm's name), and a second "wrong" key of the same kind.
async function makeKey(alg) {
  if (alg.startsWith('HS')) {
    const secret = crypto.getRandomValues(new Uint8Array(HASH_BYTES[alg]));
    return { sign: secret, verify: secret, jwk: { kty: 'oct', k: b64(secret) } };
  }
  const options = { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) };
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, options);
  return { sign: privateKey, verify: publicKey, jwk: await jose.exportJWK(publicKey),
           pem: await jose.exportSPKI(publicKey) };
}

const keys = {};
const wrong = {};
for (const alg of ALGS) {
  keys[alg] = await makeKey(alg);
  wrong[alg] = await makeKey(alg);
}
const stranger = await makeKey('ES256');  // signs with a kid the set does not have

const jwks = { keys: ALGS.map((alg) => ({ ...keys[alg].jwk, kid: alg, alg, use: 'sig' })) };
const verifiers = {
  jwks: { algorithms: ALGS, jwks },
};
for (const alg of ALGS.filter((a) => !a.startsWith('HS'))) {
  verifiers[`pem-${alg}`] = { algorithms: [alg], pem: keys[alg].pem };
}
// The RS256 key as PEM, with HS256 also allowed: the classic key-confusion set-up.
verifiers['pem-RS256-and-HS256'] = { algorithms: ['RS256', 'HS256'], pem: keys.RS256.pem };

const claims = (extra = {}) => ({
  iss: config.issuer, aud: config.audience, sub: 'alice', iat: now - 10, exp: now + 600,
  scope: 'pets:read', ...extra,
});

async function sign(alg, payload, { key = keys[alg].sign, header = {}, options } = {}) {
  return new jose.SignJWT(payload).setProtectedHeader({ alg, kid: alg, ...header }).sign(key, options);
}

// jose's verdict for `token` under the verifier `name`, with oasgen's size limit applied first
// (jose has none; the limit is oasgen's policy, the same for both).
async function joseVerdict(name, token) {
  if (token.length > config.max_token_bytes) return 'reject';
  const v = verifiers[name];
  const options = {
    algorithms: v.algorithms, issuer: config.issuer, audience: config.audience,
    clockTolerance: config.leeway, currentDate: new Date(now * 1000),
  };
  try {
    let key;
    if (v.jwks) {
      // jose's local JWK Set takes asymmetric keys only: oct keys are found by kid here, and
      // used only for the HS algorithm they name.
      const asymmetric = jose.createLocalJWKSet({ keys: v.jwks.keys.filter((k) => k.kty !== 'oct') });
      key = async (protectedHeader, token) => {
        if (protectedHeader.alg?.startsWith('HS')) {
          const jwk = v.jwks.keys.find((k) => k.kty === 'oct' && k.kid === protectedHeader.kid &&
                                              k.alg === protectedHeader.alg);
          if (!jwk) throw new Error('no matching oct key');
          return jose.base64url.decode(jwk.k);
        }
        return asymmetric(protectedHeader, token);
      };
    } else {
      const header = jose.decodeProtectedHeader(token);
      if (!v.algorithms.includes(header.alg)) return 'reject';
      key = await jose.importSPKI(v.pem, header.alg);
    }
    await jose.jwtVerify(token, key, options);
    return 'accept';
  } catch {
    return 'reject';
  }
}

const cases = [];
async function add(name, verifier, token, expect) {
  cases.push({ name, verifier, token, expect, jose: await joseVerdict(verifier, token) });
}

const part = (token, i) => token.split('.')[i];
const withSignature = (token, bytes) => `${part(token, 0)}.${part(token, 1)}.${b64(bytes)}`;
const header = (object) => b64(enc.encode(JSON.stringify(object)));

for (const alg of ALGS) {
  const good = await sign(alg, claims());
  await add(`${alg} valid`, 'jwks', good, 'accept');
  await add(`${alg} valid, audience in an array, scp`, 'jwks',
            await sign(alg, claims({ aud: ['other', config.audience], scp: ['a', 'b'] })), 'accept');
  await add(`${alg} valid within the leeway`, 'jwks',
            await sign(alg, claims({ exp: now - 20, nbf: now + 20 })), 'accept');
  if (keys[alg].pem) await add(`${alg} valid, PEM key`, `pem-${alg}`, good, 'accept');
  await add(`${alg} expired`, 'jwks', await sign(alg, claims({ exp: now - 3600 })), 'reject');
  await add(`${alg} not yet valid`, 'jwks', await sign(alg, claims({ nbf: now + 3600 })), 'reject');
  await add(`${alg} wrong aud`, 'jwks', await sign(alg, claims({ aud: 'other-api' })), 'reject');
  await add(`${alg} no aud`, 'jwks', await sign(alg, claims({ aud: undefined })), 'reject');
  await add(`${alg} wrong iss`, 'jwks', await sign(alg, claims({ iss: 'https://evil.example' })),
            'reject');
  await add(`${alg} wrong key`, 'jwks', await sign(alg, claims(), { key: wrong[alg].sign }),
            'reject');
  const tampered = `${part(good, 0)}.${b64(enc.encode(JSON.stringify(claims({ sub: 'mallory' }))))}.${part(good, 2)}`;
  await add(`${alg} tampered payload`, 'jwks', tampered, 'reject');
  await add(`${alg} truncated`, 'jwks', good.slice(0, good.length - 6), 'reject');
  await add(`${alg} signature stripped`, 'jwks', `${part(good, 0)}.${part(good, 1)}.`, 'reject');
  await add(`${alg} unknown kid`, 'jwks',
            await sign(alg, claims(), { key: wrong[alg].sign, header: { kid: `${alg}-unknown` } }),
            'reject');
  await add(`${alg} header says none`, 'jwks',
            `${header({ alg: 'none', kid: alg })}.${part(good, 1)}.`, 'reject');
  if (keys[alg].pem) {
    await add(`${alg} PEM key, wrong key`, `pem-${alg}`,
              await sign(alg, claims(), { key: wrong[alg].sign }), 'reject');
  }
}

// alg: none, as jose makes it and in other spellings.
await add('none (jose UnsecuredJWT)', 'jwks', new jose.UnsecuredJWT(claims()).encode(), 'reject');
for (const spelling of ['none', 'None', 'NONE', 'nOnE']) {
  const payload = b64(enc.encode(JSON.stringify(claims())));
  await add(`alg ${spelling} with a kid`, 'jwks', `${header({ alg: spelling, kid: 'HS256' })}.${payload}.`,
            'reject');
}

// HS256 signed with the RSA public key's PEM text (and its JWK) as the HMAC secret.
const pemSecret = enc.encode(keys.RS256.pem);
await add('HS256 with the RSA PEM as secret, PEM verifier', 'pem-RS256-and-HS256',
          await sign('HS256', claims(), { key: pemSecret, header: { kid: 'RS256' } }), 'reject');
await add('HS256 with the RSA PEM as secret, JWKS verifier', 'jwks',
          await sign('HS256', claims(), { key: pemSecret, header: { kid: 'RS256' } }), 'reject');
await add('HS256 with the RSA JWK as secret', 'jwks',
          await sign('HS256', claims(), { key: enc.encode(JSON.stringify(jwks.keys[3])), header: { kid: 'RS256' } }),
          'reject');
await add('HS256 with the EC PEM as secret', 'jwks',
          await sign('HS256', claims(), { key: enc.encode(keys.ES256.pem), header: { kid: 'ES256' } }),
          'reject');
// A token of one algorithm relabelled as another of the same key type.
{
  const rs = await sign('RS256', claims());
  await add('RS256 signature labelled PS256', 'jwks',
            `${header({ alg: 'PS256', kid: 'RS256' })}.${part(rs, 1)}.${part(rs, 2)}`, 'reject');
  await add('RS256 signature labelled RS512', 'jwks',
            `${header({ alg: 'RS512', kid: 'RS256' })}.${part(rs, 1)}.${part(rs, 2)}`, 'reject');
}

// ECDSA signatures of the wrong length: padded, cut, and in DER.
function der(raw) {
  const half = raw.length / 2;
  const int = (bytes) => {
    let b = Array.from(bytes);
    while (b.length > 1 && b[0] === 0 && b[1] < 0x80) b = b.slice(1);
    if (b[0] >= 0x80) b = [0, ...b];
    return [0x02, b.length, ...b];
  };
  const body = [...int(raw.slice(0, half)), ...int(raw.slice(half))];
  return Uint8Array.from(body.length < 128 ? [0x30, body.length, ...body] : [0x30, 0x81, body.length, ...body]);
}
for (const alg of ['ES256', 'ES384']) {
  const good = await sign(alg, claims());
  const raw = jose.base64url.decode(part(good, 2));
  await add(`${alg} signature with a leading zero byte`, 'jwks',
            withSignature(good, Uint8Array.from([0, ...raw])), 'reject');
  await add(`${alg} signature one byte short`, 'jwks', withSignature(good, raw.slice(1)), 'reject');
  await add(`${alg} signature in DER`, 'jwks', withSignature(good, der(raw)), 'reject');
  await add(`${alg} signature doubled`, 'jwks',
            withSignature(good, Uint8Array.from([...raw, ...raw])), 'reject');
}

// Oversize: valid signatures over a large payload; one just under the limit is still accepted.
for (const alg of ['HS256', 'RS256', 'EdDSA']) {
  await add(`${alg} oversize`, 'jwks', await sign(alg, claims({ pad: 'x'.repeat(9000) })), 'reject');
  let pad = 7000;
  let token = await sign(alg, claims({ pad: 'x'.repeat(pad) }));
  while (token.length > config.max_token_bytes) {
    pad -= token.length - config.max_token_bytes;
    token = await sign(alg, claims({ pad: 'x'.repeat(pad) }));
  }
  await add(`${alg} just under the size limit`, 'jwks', token, 'accept');
}

// Unknown critical header parameters.
await add('HS256 with crit', 'jwks',
          await sign('HS256', claims(), { header: { crit: ['x-custom'], 'x-custom': 1 },
                                          options: { crit: { 'x-custom': true } } }), 'reject');
// A key id the set does not have, by a key it does not know.
await add('ES256 stranger kid', 'jwks',
          await sign('ES256', claims(), { key: stranger.sign, header: { kid: 'stranger' } }), 'reject');

writeFileSync(out, JSON.stringify({ config, verifiers, cases }, null, 1));
const off = cases.filter((c) => c.jose !== c.expect);
console.log(`jose_oracle.mjs: ${cases.length} cases (jose ${jose.cryptoRuntime ?? ''}), ` +
            `${off.length} where jose's verdict is not the intended one`);
for (const c of off) console.log(`  jose ${c.jose}, intended ${c.expect}: ${c.name}`);
