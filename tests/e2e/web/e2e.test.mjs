// End-to-end test of the web UI: the built web/dist served on 127.0.0.1, driven in Debian's
// Chromium through playwright-core (never the `playwright` package, which downloads a browser).
//
//   1. fresh page (empty localStorage): set the HTTP server, add a node with a MAC, see
//      pxelinux.cfg/<mac> in the tree and its kernel URL in the preview;
//   2. export the site JSON and download the tar; the tar equals `ipxegen archive` of the
//      exported site byte for byte;
//   3. a 500-node site imported from a file: the preview update after typing into the HTTP
//      server (#preview's data-update-ms, measured in the page with performance.now());
//   4. a full-page screenshot in tests/artifacts/web-e2e.png.
//
// Any console error, page error or failed request fails the test.
//
// Run: `bash tests/e2e/web/run.sh` (builds web/dist and the CLI first), or
// `node --test tests/e2e/web/` once both are built. Environment: CHROMIUM (default
// /usr/bin/chromium), IPXEGEN (the CLI binary; default: built with cargo into
// target/debug/ipxegen), CI=true (a missing Chromium fails instead of skipping),
// E2E_BUDGET_MS (the preview-update budget asserted in step 3; default 50), WEB_DIST (the
// directory served; default web/dist).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, normalize, resolve, sep, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const dist = resolve(process.env.WEB_DIST || join(root, 'web/dist'));
const artifacts = join(root, 'tests/artifacts');
const downloads = join(artifacts, 'web-e2e');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const inCI = process.env.CI === 'true';
const budgetMs = Number(process.env.E2E_BUDGET_MS || 50);

// The flags of shared/reference/toolchain.md: no sandbox (root), no GPU, nothing fetched from
// outside while the test runs.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

const SERVER = 'http://10.0.2.100:8080';
const NODE = {
  id: 'e2e-node',
  nics: '52:54:00:ab:cd:ef',
  mode: 'deploy',
  kernel: 'http://images.example/vmlinuz',
  ramdisk: 'http://images.example/initrd.img',
};
const NODE_ENTRY = 'pxelinux.cfg/52-54-00-ab-cd-ef';
const BIG_NODES = 500;

const missingChromium = !existsSync(chromiumPath);
if (missingChromium && inCI) {
  throw new Error(`${chromiumPath} not found (CI=true): install Debian's chromium (.ci/run does)`);
}
const skip = missingChromium ? `SKIPPED: ${chromiumPath} not found` : false;

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves `dir` on 127.0.0.1 on a free port; resolves to { server, url }. */
function serve(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (file !== dir && !file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] || 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(readFileSync(file));
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () =>
      ok({ server, url: `http://127.0.0.1:${server.address().port}/` }));
  });
}

/** The ipxegen CLI: $IPXEGEN, or built with cargo (a no-op when run.sh built it already). */
function cli() {
  if (process.env.IPXEGEN) return process.env.IPXEGEN;
  execFileSync('cargo', ['build', '-q', '-p', 'ipxegen-cli'], { cwd: root, stdio: 'inherit' });
  const target = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, 'target');
  return join(target, 'debug/ipxegen');
}

/** The entries of a ustar archive: [{ name, type, size, offset }] (offset of the header). */
function tarEntries(buf) {
  const entries = [];
  const field = (off, len) => buf.subarray(off, off + len).toString('latin1').replace(/\0.*$/s, '');
  for (let off = 0; off + 512 <= buf.length;) {
    if (buf.subarray(off, off + 512).every((b) => b === 0)) break;
    const prefix = field(off + 345, 155);
    const name = (prefix ? prefix + '/' : '') + field(off, 100);
    const size = parseInt(field(off + 124, 12).trim() || '0', 8);
    entries.push({ name, type: field(off + 156, 1) || '0', size, offset: off });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** Why two tars differ: the first differing byte and the entry it falls in, and both lists. */
function tarDifference(web, ref) {
  let i = 0;
  const n = Math.min(web.length, ref.length);
  while (i < n && web[i] === ref[i]) i++;
  const at = (entries) => entries.filter((e) => e.offset <= i).at(-1);
  const list = (entries) => entries.map((e) => `  ${e.type} ${e.size} ${e.name}`).join('\n');
  const we = tarEntries(web);
  const re = tarEntries(ref);
  return [
    `web tar ${web.length} bytes, CLI tar ${ref.length} bytes; first difference at byte ${i}`,
    `  in web entry ${JSON.stringify(at(we)?.name)}, CLI entry ${JSON.stringify(at(re)?.name)}`,
    `web entries:\n${list(we)}`,
    `CLI entries:\n${list(re)}`,
  ].join('\n');
}

/** A site of `n` deploy nodes whose kernels are local files, so every config names the server. */
function bigSite(n, server) {
  const nodes = [];
  for (let i = 0; i < n; i++) {
    const mac = `52:54:01:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
    nodes.push({ id: `node-${String(i).padStart(3, '0')}`, nics: [mac], mode: 'deploy', kernel_args: 'ipa-debug=1' });
  }
  return {
    schema: 1,
    http_server: server,
    http_root: '/srv/ipxegen/http',
    kernel_args: 'console=ttyS0,115200n8',
    deploy_kernel: '/srv/images/ironic-python-agent.kernel',
    deploy_ramdisk: '/srv/images/ironic-python-agent.initramfs',
    nodes,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return Math.round(m * 100) / 100;
};

describe('web UI end to end (web/dist in Chromium)', { skip, timeout: 240_000 }, () => {
  let http;
  let browser;
  let page; // steps 1, 2 and 4 share this page; step 3 has its own context
  let ipxegen;
  const problems = []; // console errors, page errors, failed requests: any fails the test
  const figures = {};
  let nodePreview = null; // #preview's text for the new node in step 1, checked in step 2b

  /** A fresh context (empty localStorage) and page whose errors land in `problems`. */
  async function freshPage(label) {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const p = await context.newPage();
    p.setDefaultTimeout(20_000);
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${label}: console error: ${m.text()} (${m.location().url}:${m.location().lineNumber})`);
    });
    p.on('pageerror', (e) => problems.push(`${label}: page error: ${e.stack || e}`));
    p.on('requestfailed', (r) => {
      if (!r.url().startsWith('blob:') && !r.url().startsWith('data:')) {
        problems.push(`${label}: request failed: ${r.url()} ${r.failure()?.errorText}`);
      }
    });
    p.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${label}: HTTP ${r.status()} for ${r.url()}`);
    });
    await p.goto(http.url, { waitUntil: 'load' });
    await p.locator('#http-server').waitFor({ state: 'visible' });
    return p;
  }

  function noProblems(since) {
    const seen = problems.slice(since);
    assert.deepEqual(seen, [], `console errors, page errors or failed requests:\n${seen.join('\n')}`);
  }

  /** Runs a step, failing on the problems it caused (the last step: on any problem); on
   * failure saves a screenshot of `p` for the artefacts and rethrows. */
  async function step(name, p, fn, { all = false } = {}) {
    const since = all ? 0 : problems.length;
    try {
      await fn();
      noProblems(since);
    } catch (e) {
      await p?.()?.screenshot({ path: join(artifacts, `web-e2e-failed-${name}.png`), fullPage: true }).catch(() => {});
      throw e;
    }
  }

  before(async () => {
    assert.ok(existsSync(join(dist, 'index.html')), `${dist}/index.html missing: run bash web/build.sh`);
    // This run's artefacts only: no screenshot or download of an earlier run is left behind.
    mkdirSync(artifacts, { recursive: true });
    for (const f of readdirSync(artifacts)) {
      if (f.startsWith('web-e2e')) rmSync(join(artifacts, f), { recursive: true, force: true });
    }
    mkdirSync(downloads, { recursive: true });
    ipxegen = cli();
    assert.ok(existsSync(ipxegen), `${ipxegen} missing`);
    http = await serve(dist);
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    page = await freshPage('main page');
  });

  after(async () => {
    await browser?.close();
    http?.server.close();
    if (Object.keys(figures).length) {
      writeFileSync(join(artifacts, 'web-e2e-figures.json'), JSON.stringify(figures, null, 2) + '\n');
    }
  });

  it('0. the page has every element of the DOM contract', async (t) => {
    await step('0', () => page, async () => {
      const contract = ['#http-server', '#add-node', '#tree', '#preview', '#export-site', '#download-tar',
        '#import-site[type="file"]'];
      const missing = [];
      for (const sel of contract) if ((await page.locator(sel).count()) !== 1) missing.push(sel);
      assert.deepEqual(missing, [], `missing from the page: ${missing.join(' ')}`);
    }, { all: true }); // also the errors of loading the page
  });

  it('1. a node added in the table shows its per-MAC config in the tree and preview', async (t) => {
    await step('1', () => page, async () => {
      await page.locator('#http-server').fill(SERVER);
      const rows = page.locator('tr.node-row');
      const before = await rows.count();
      await page.locator('#add-node').click();
      await page.waitForFunction((n) => document.querySelectorAll('tr.node-row').length > n, before);
      const row = rows.last();
      for (const [name, value] of Object.entries(NODE)) {
        const field = row.locator(`[name="${name}"]`);
        const tag = await field.evaluate((e) => e.tagName);
        if (tag === 'SELECT') await field.selectOption(value);
        else await field.fill(value);
      }
      const entry = page.locator(`#tree button.tree-entry[data-path="${NODE_ENTRY}"]`);
      await entry.waitFor({ state: 'visible' });
      await entry.click();
      const want = ['kernel --timeout', NODE.kernel, 'BOOTIF=01-${netX/mac:hexhyp}'];
      await page.waitForFunction(
        (w) => w.every((s) => (document.querySelector('#preview')?.textContent ?? '').includes(s)),
        want,
      ).catch(() => {});
      const text = await page.locator('#preview').textContent();
      nodePreview = text;
      for (const s of want) assert.ok(text.includes(s), `#preview lacks ${JSON.stringify(s)}:\n${text}`);
      t.diagnostic(`preview of ${NODE_ENTRY}: ${text.split('\n').find((l) => l.includes('kernel --timeout'))?.trim()}`);
    });
  });

  it('2. the downloaded tar equals `ipxegen archive` of the exported site, byte for byte', async (t) => {
    await step('2', () => page, async () => {
      const [siteDl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-site').click()]);
      assert.equal(siteDl.suggestedFilename(), 'site.json');
      const sitePath = join(downloads, 'site.json');
      await siteDl.saveAs(sitePath);
      const site = JSON.parse(readFileSync(sitePath, 'utf8'));
      assert.equal(site.http_server, SERVER, 'exported http_server');
      assert.ok(site.nodes.some((n) => n.id === NODE.id), `exported site has no node ${NODE.id}`);

      const [tarDl] = await Promise.all([page.waitForEvent('download'), page.locator('#download-tar').click()]);
      assert.equal(tarDl.suggestedFilename(), 'ipxegen-tree.tar');
      const webTar = join(downloads, 'ipxegen-tree.tar');
      await tarDl.saveAs(webTar);

      const cliTar = join(downloads, 'ipxegen-archive.tar');
      execFileSync(ipxegen, ['archive', sitePath, '-o', cliTar], { stdio: ['ignore', 'inherit', 'inherit'] });
      const web = readFileSync(webTar);
      const ref = readFileSync(cliTar);
      assert.ok(web.equals(ref), tarDifference(web, ref));
      const entries = tarEntries(web);
      assert.ok(entries.some((e) => e.name === NODE_ENTRY), `tar has no ${NODE_ENTRY}`);
      figures.tar = { bytes: web.length, entries: entries.length };

      t.diagnostic(`tar: ${web.length} bytes, ${entries.length} entries, identical to ipxegen archive`);
    });
  });

  it('2b. the preview of step 1 is the script `ipxegen render` writes for that node', async () => {
    await step('2b', () => page, async () => {
      const sitePath = join(downloads, 'site.json');
      assert.ok(nodePreview !== null && existsSync(sitePath), 'needs steps 1 and 2');
      const rendered = execFileSync(ipxegen, ['render', sitePath, '--mac', NODE.nics], { encoding: 'utf8' });
      assert.equal(nodePreview, rendered,
        `#preview of ${NODE_ENTRY} (step 1) differs from \`ipxegen render site.json --mac ${NODE.nics}\``);
    });
  });

  it(`3. preview update after typing into the HTTP server, ${BIG_NODES}-node site`, async (t) => {
    let big;
    await step('3', () => big, async () => {
      big = await freshPage('500-node page');
      // Ports typed one digit at a time: every intermediate value is a valid server.
      const base = 'http://10.0.3.1:1';
      const site = bigSite(BIG_NODES, base);
      const last = site.nodes.at(-1);
      const lastEntry = `pxelinux.cfg/${last.nics[0].replaceAll(':', '-')}`;
      const firstEntry = `pxelinux.cfg/${site.nodes[0].nics[0].replaceAll(':', '-')}`;
      const json = JSON.stringify(site, null, 1);
      writeFileSync(join(downloads, 'site-500.json'), json);

      const importStart = Date.now();
      await big.locator('#import-site').setInputFiles({ name: 'site-500.json', mimeType: 'application/json', buffer: Buffer.from(json) });
      await big.locator(`#tree button.tree-entry[data-path="${lastEntry}"]`).waitFor({ state: 'attached', timeout: 60_000 });
      figures.import_500_ms = Date.now() - importStart;
      figures.import_500_rows = await big.locator('tr.node-row').count();
      assert.equal(await big.locator('#http-server').inputValue(), base, '#http-server after import');

      await big.locator(`#tree button.tree-entry[data-path="${firstEntry}"]`).click();
      const marker = (server) => `${server}/${site.nodes[0].id}/deploy_kernel`;
      await big.waitForFunction((m) => document.querySelector('#preview')?.textContent.includes(m), marker(base));

      // In the page: the time from each keydown in #http-server to the moment #preview holds
      // the new server (a MutationObserver), as a check on the UI's own data-update-ms.
      await big.evaluate(() => {
        const input = document.querySelector('#http-server');
        window.__e2e = { down: 0, want: null, done: null };
        input.addEventListener('keydown', () => { window.__e2e.down = performance.now(); }, true);
        const check = () => {
          const e = window.__e2e;
          const preview = document.querySelector('#preview');
          if (e.want && e.done === null && preview?.textContent.includes(e.want)) e.done = performance.now();
        };
        new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      });

      const input = big.locator('#http-server');
      await input.focus();
      await input.press('End');
      const samples = [];
      let server = base;
      for (const digit of '2345') {
        server += digit;
        await big.evaluate((m) => Object.assign(window.__e2e, { want: m, done: null }), marker(server));
        await big.keyboard.press(digit);
        await big.waitForFunction(() => window.__e2e.done !== null, null, { timeout: 20_000 });
        // data-update-ms is written with the render; read it once the preview shows the server.
        const { updateMs, observedMs } = await big.evaluate(() => ({
          updateMs: document.querySelector('#preview').getAttribute('data-update-ms'),
          observedMs: window.__e2e.done - window.__e2e.down,
        }));
        assert.ok(updateMs !== null && Number.isFinite(Number(updateMs)),
          `#preview data-update-ms is ${JSON.stringify(updateMs)}, not a number of ms`);
        samples.push({ server, update_ms: Number(updateMs), keydown_to_preview_ms: Math.round(observedMs * 10) / 10 });
      }
      const updates = samples.map((s) => s.update_ms);
      const observed = samples.map((s) => s.keydown_to_preview_ms);
      figures.preview_update_500 = {
        budget_ms: budgetMs,
        data_update_ms: updates,
        data_update_ms_median: median(updates),
        data_update_ms_max: Math.max(...updates),
        keydown_to_preview_ms: observed,
        keydown_to_preview_ms_median: median(observed),
      };
      const msg = `${BIG_NODES} nodes: data-update-ms ${updates.join(', ')} (median ${median(updates)}, max ${Math.max(...updates)}); ` +
        `keydown to preview ${observed.join(', ')} ms (median ${median(observed)}); ` +
        `import ${figures.import_500_ms} ms (${figures.import_500_rows} node rows)`;
      t.diagnostic(msg);
      assert.ok(median(updates) < budgetMs, `preview update median ${median(updates)} ms >= budget ${budgetMs} ms (${msg})`);
      await big.context().close();
    });
  });

  it('4. full-page screenshot saved as tests/artifacts/web-e2e.png', async (t) => {
    await step('4', () => page, async () => {
      const path = join(artifacts, 'web-e2e.png');
      await page.screenshot({ path, fullPage: true });
      const size = statSync(path).size;
      assert.ok(size > 1000, `${path} is ${size} bytes`);
      t.diagnostic(`screenshot: ${path} (${size} bytes)`);
    }, { all: true });
  });
});
