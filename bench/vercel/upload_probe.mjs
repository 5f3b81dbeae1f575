// Probe of the simulator itself: N uploads of 20 KB from Node (the CLI's runtime), C at a time.
// Usage: node upload_probe.mjs URL N C
import crypto from 'node:crypto';
const url = process.argv[2], n = +process.argv[3], conc = +process.argv[4];
const bodies = Array.from({length: n}, (_, i) => crypto.randomBytes(20000));
let next = 0; const t0 = Date.now(); const lat = [];
async function worker() {
  while (next < n) {
    const b = bodies[next++]; const sha = crypto.createHash('sha1').update(b).digest('hex');
    const t = Date.now();
    const r = await fetch(url + '/v2/files', {method: 'POST', body: b, headers: {'content-type': 'application/octet-stream', 'x-now-digest': sha, 'x-now-size': String(b.length), authorization: 'Bearer vercel_sim_token_5f3a9c1e7b2d4a6f'}});
    await r.text(); lat.push(Date.now() - t);
  }
}
await Promise.all(Array.from({length: conc}, worker));
lat.sort((a, b) => a - b);
console.log(`${n} uploads, ${conc} at a time: ${Date.now() - t0} ms, p50 ${lat[n >> 1]} ms, p90 ${lat[Math.floor(n * 0.9)]} ms`);
