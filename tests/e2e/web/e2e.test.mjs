// End-to-end test of the web UI: the built web/dist served on 127.0.0.1, driven in Debian's
// Chromium through playwright-core (never the `playwright` package, which downloads a browser).
//
//   1. fresh page (empty localStorage): set the HTTP server, add a node with a MAC (the new
//      node's id is focused), see pxelinux.cfg/<mac> in the tree and its kernel URL in the
//      preview;
//   2. export the site JSON and download the tar; the tar equals `ipxegen archive` of the
//      exported site byte for byte;
//   3. a 500-node site imported from a file: the preview update after typing into the HTTP
//      server (#preview's data-update-ms, measured in the page with performance.now());
//   4. a full-page screenshot in tests/artifacts/web-e2e.png, and one at 1400x900 as
//      docs/web-ui.png;
//   5. every key of an imported site (tests/golden/sites/modes.json) is in its editor; a node
//      edited in every editor it has, with two iSCSI targets whose preview's sanhook lines
//      are the ones `ipxegen render` writes; a node with errors keeps the others' tree;
//   6. keyboard only: add a node, set its mode, add an iSCSI target, show its CHAP secret,
//      reach a download button;
//   7. a 400 px window: nothing overflows sideways and every editor is within reach;
//   8. a 2,000-node CSV import: how long the import takes and the preview update after it
//      (data-update-ms, median of several edits), written as figures, not asserted; the page
//      holds one page of 50 node editors; the pager (by keyboard) reaches node 2,000, the
//      filter finds a node by MAC, and a problem of a node on another page focuses its field;
//   9. a main script template loaded from a file, then its text from another; the DHCP config
//      and a link to the site copied to the clipboard, and the link opened in a fresh page.
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
const CSV_NODES = 2000;
const PAGE = 50; // node editors on one page of the node list
const MODES_SITE = join(root, 'tests/golden/sites/modes.json');

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

  /** A fresh context (empty localStorage) and page whose errors land in `problems`, opened
   * at `url` (the app's page by default). */
  async function freshPage(label, url = http.url) {
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
    await p.goto(url, { waitUntil: 'load' });
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
      const rows = page.locator('#nodes > .node-row');
      const before = await rows.count();
      await page.locator('#add-node').click();
      await page.waitForFunction((n) => document.querySelectorAll('#nodes > .node-row').length > n, before);
      assert.equal(await page.evaluate(() => document.activeElement.id), `node-${before}-id`, 'the new node\'s id is focused');
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
      figures.import_500_rows = await big.locator('#nodes > .node-row').count();
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
      // The README's picture: the whole UI at 1400x900, from the example site.
      const shot = await freshPage('screenshot page');
      await shot.setViewportSize({ width: 1400, height: 900 });
      const docs = join(root, 'docs/web-ui.png');
      mkdirSync(dirname(docs), { recursive: true });
      await shot.screenshot({ path: docs });
      assert.ok(statSync(docs).size > 1000, `${docs} is ${statSync(docs).size} bytes`);
      await shot.context().close();
    }, { all: true });
  });

  it('5. every editor: an imported site shows every key; a node edited in each editor, two iSCSI targets', async (t) => {
    let p;
    await step('5', () => p, async () => {
      p = await freshPage('editors page');
      const text = readFileSync(MODES_SITE, 'utf8');
      await p.locator('#import-site').setInputFiles({ name: 'modes.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      const site = JSON.parse(text);
      await p.locator('#node-0-id').waitFor({ state: 'attached' });
      await p.waitForFunction((id) => document.querySelector('#node-0-id')?.value === id, site.nodes[0].id);
      // Every key of the document is shown in its editor, with its value.
      const missing = await p.evaluate((site) => {
        const out = [];
        const shown = (id, value) => {
          const e = document.getElementById(id);
          if (!e) return out.push(`#${id} missing`);
          const v = e.type === 'checkbox' ? String(e.checked) : e.value;
          if (v !== String(value)) out.push(`#${id} is ${JSON.stringify(v)}, not ${JSON.stringify(value)}`);
        };
        for (const [k, v] of Object.entries(site)) {
          if (k !== 'schema' && k !== 'nodes') shown(k.replaceAll('_', '-'), v);
        }
        site.nodes.forEach((n, i) => {
          for (const [k, v] of Object.entries(n)) {
            if (k === 'nics') {
              const macs = v.map((nic) => (typeof nic === 'string' ? nic : (nic.pxe === false ? '!' : '') + nic.mac));
              shown(`node-${i}-nics`, macs.join(', '));
              v.forEach((nic, j) => shown(`node-${i}-nics-${j}-pxe`, typeof nic === 'string' || nic.pxe !== false));
            } else if (k === 'iscsi') {
              v.forEach((target, j) => { for (const [tk, tv] of Object.entries(target)) shown(`node-${i}-iscsi-${j}-${tk}`, tv); });
            } else shown(`node-${i}-${k}`, v);
          }
        });
        return out;
      }, site);
      assert.deepEqual(missing, [], missing.join('\n'));

      // A new node, edited in every editor its modes show.
      await p.locator('#add-node').click();
      const i = site.nodes.length;
      const id = (k) => p.locator(`#node-${i}-${k}`);
      assert.equal(await id('hostname').count(), 0, 'the fields of every mode wait behind "More fields"');
      await p.locator(`#node-${i} button.more-fields`).click();
      assert.equal(await p.locator(`#node-${i} button.more-fields`).getAttribute('aria-expanded'), 'true');
      await id('id').fill('e2e-iscsi');
      await id('nics').fill('52:54:00:ee:00:01, 52:54:00:ee:00:02');
      await p.locator(`#node-${i}-nics-1-pxe`).uncheck();
      assert.equal(await id('nics').inputValue(), '52:54:00:ee:00:01, !52:54:00:ee:00:02');
      await id('firmware').selectOption('uefi');
      for (const [k, v] of [['hostname', 'e2e-iscsi.example'], ['ipv4', '192.0.2.77'], ['ipv6', '2001:db8::77'],
        ['system_uuid', '8c6f2d1e-3b4a-4c5d-9e8f-0a1b2c3d4e5f'], ['timeout_ms', '20000'], ['retries', '3']]) await id(k).fill(v);
      await id('mode').selectOption('anaconda');
      for (const [k, v] of [['kernel', '/srv/images/vmlinuz'], ['ramdisk', '/srv/images/initrd.img'],
        ['kickstart', 'http://192.0.2.10/ks.cfg'], ['repo', 'http://mirror.example/os/'], ['kernel_args', 'quiet']]) await id(k).fill(v);
      assert.equal(await id('stage2').count(), 1, 'stage2 editor for anaconda');
      for (const k of ['kernel', 'ramdisk', 'kickstart', 'repo', 'kernel_args']) await id(k).fill('');
      await id('mode').selectOption('iscsi');
      await id('initiator_iqn').fill('iqn.2026-11.com.example:e2e');
      await id('iscsi').click();
      await id('iscsi').click();
      const targets = [
        { server: '192.0.2.31', port: '', lun: '2', iqn: 'iqn.2010-04.org.example:e2e-root', username: 'e2e', password: 's3cret' },
        { server: '2001:db8::31', port: '3262', lun: '', iqn: 'iqn.2010-04.org.example:e2e-data', username: '', password: '' },
      ];
      for (const [j, target] of targets.entries()) {
        for (const [k, v] of Object.entries(target)) if (v) await id(`iscsi-${j}-${k}`).fill(v);
      }
      const secret = id('iscsi-0-password');
      assert.equal(await secret.getAttribute('type'), 'password');
      await p.locator(`#node-${i} .iscsi-target`).first().locator('button.toggle-secret').click();
      assert.equal(await secret.getAttribute('type'), 'text');
      await p.locator(`#node-${i} .iscsi-target`).first().locator('button.toggle-secret').click();
      assert.equal(await secret.getAttribute('type'), 'password');
      assert.equal(await p.locator('#problems').count(), 0,
        `problems: ${await p.locator('#problems').textContent().catch(() => '')}`);

      const entry = p.locator('#tree button.tree-entry[data-path="e2e-iscsi/config"]');
      await entry.click();
      const preview = await p.locator('#preview').textContent();
      const [siteDl] = await Promise.all([p.waitForEvent('download'), p.locator('#export-site').click()]);
      const sitePath = join(downloads, 'site-editors.json');
      await siteDl.saveAs(sitePath);
      const exported = JSON.parse(readFileSync(sitePath, 'utf8')).nodes[i];
      assert.deepEqual(exported, {
        id: 'e2e-iscsi', nics: ['52:54:00:ee:00:01', { mac: '52:54:00:ee:00:02', pxe: false }], mode: 'iscsi',
        firmware: 'uefi', iscsi: [
          { server: '192.0.2.31', lun: 2, iqn: 'iqn.2010-04.org.example:e2e-root', username: 'e2e', password: 's3cret' },
          { server: '2001:db8::31', port: 3262, iqn: 'iqn.2010-04.org.example:e2e-data' },
        ], initiator_iqn: 'iqn.2026-11.com.example:e2e', hostname: 'e2e-iscsi.example', ipv4: '192.0.2.77',
        ipv6: '2001:db8::77', system_uuid: '8c6f2d1e-3b4a-4c5d-9e8f-0a1b2c3d4e5f', timeout_ms: 20000, retries: 3,
      });
      const rendered = execFileSync(ipxegen, ['render', sitePath, '--node', 'e2e-iscsi'], { encoding: 'utf8' });
      assert.equal(preview, rendered, 'the preview is the script `ipxegen render` writes');
      const sanhooks = preview.split('\n').filter((l) => l.startsWith('sanhook'));
      assert.deepEqual(sanhooks, [
        'sanhook --drive 0x80 iscsi:192.0.2.31:::2:iqn.2010-04.org.example:e2e-root || goto retry',
        'sanhook --drive 0x81 iscsi:[2001:db8::31]::3262:0:iqn.2010-04.org.example:e2e-data || goto retry',
      ]);
      t.diagnostic(`sanhook lines: ${sanhooks.join(' | ')}`);

      // Reordered: the data target becomes drive 0x80.
      await p.locator(`#node-${i} .iscsi-target`).nth(1).locator('button.move-up').click();
      await p.waitForFunction(() => document.querySelector('#preview').textContent.includes('sanhook --drive 0x80 iscsi:[2001:db8::31]'));
      // A node with errors: marked in the tree, the others' entries stay, the tar says why.
      await id('iscsi-0-iqn').fill('not an iqn');
      await p.locator('#tree button.tree-entry.invalid').waitFor();
      assert.equal(await p.locator('#tree button.tree-entry[data-path="e2e-iscsi/config"]').count(), 0);
      assert.equal(await p.locator('#tree button.tree-entry[data-path="chain/config"]').count(), 1);
      assert.ok(await p.locator('#download-tar').isDisabled());
      assert.equal(await p.locator('#download-tar').getAttribute('aria-describedby'), 'download-why');
      assert.ok((await p.locator('#download-why').textContent()).includes('problem'));
      await p.locator('#problems button.problem').first().click();
      assert.equal(await p.evaluate(() => document.activeElement.id), `node-${i}-iscsi-0-iqn`);
      const error = await id('iscsi-0-iqn').getAttribute('aria-describedby');
      assert.equal(await p.locator(`#${error}`).getAttribute('role'), 'alert');
      // Removing the target at fault: the node is back, its one drive the root target.
      await p.locator(`#node-${i} .iscsi-target`).first().locator('button.remove-target').click();
      assert.equal(await p.locator(`#node-${i} .iscsi-target`).count(), 1);
      await p.locator('#tree button.tree-entry[data-path="e2e-iscsi/config"]').click();
      await p.waitForFunction(() => document.querySelector('#preview').textContent.includes('sanhook --drive 0x80 iscsi:192.0.2.31:'));
      assert.equal(await p.locator('#problems').count(), 0);
      const left = (await p.locator('#preview').textContent()).split('\n').filter((l) => l.startsWith('sanhook'));
      assert.deepEqual(left, ['sanhook --drive 0x80 iscsi:192.0.2.31:::2:iqn.2010-04.org.example:e2e-root || goto retry']);
      await p.context().close();
    });
  });

  /** Presses `key` (Tab or Shift+Tab) until the focused element matches `selector`. */
  async function tabTo(p, selector, key = 'Tab', max = 300) {
    for (let n = 0; n < max; n++) {
      if (await p.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await p.keyboard.press(key);
    }
    throw new Error(`${selector} not reached with ${max} presses of ${key}`);
  }

  it('6. by keyboard only: add a node, set its mode, add an iSCSI target, show the CHAP secret, download', async () => {
    let p;
    await step('6', () => p, async () => {
      p = await freshPage('keyboard page');
      const nodes = await p.locator('#nodes > .node-row').count();
      await tabTo(p, '#add-node');
      await p.keyboard.press('Enter');
      await p.locator(`#node-${nodes}-mode`).waitFor();
      // The new node's id has the focus; its mode is the next field.
      assert.equal(await p.evaluate(() => document.activeElement.id), `node-${nodes}-id`);
      await tabTo(p, `#node-${nodes}-mode`);
      for (let n = 0; n < 4; n++) await p.keyboard.press('ArrowDown'); // deploy -> iscsi
      await p.waitForFunction((id) => document.getElementById(id)?.value === 'iscsi', `node-${nodes}-mode`);
      await tabTo(p, `#node-${nodes}-iscsi`);
      await p.keyboard.press('Space');
      await p.locator(`#node-${nodes}-iscsi-0-server`).waitFor();
      await tabTo(p, `#node-${nodes}-iscsi-0-server`, 'Shift+Tab');
      await p.keyboard.type('192.0.2.50');
      await tabTo(p, `#node-${nodes}-iscsi-0-password`);
      await p.keyboard.type('kb-secret');
      await tabTo(p, `#node-${nodes} button.toggle-secret`);
      await p.keyboard.press('Space');
      assert.equal(await p.locator(`#node-${nodes}-iscsi-0-password`).getAttribute('type'), 'text');
      assert.equal(await p.locator(`#node-${nodes} button.toggle-secret`).getAttribute('aria-pressed'), 'true');
      await tabTo(p, '#export-site');
      const [dl] = await Promise.all([p.waitForEvent('download'), p.keyboard.press('Enter')]);
      const path = join(downloads, 'site-keyboard.json');
      await dl.saveAs(path);
      const node = JSON.parse(readFileSync(path, 'utf8')).nodes[nodes];
      assert.equal(node.mode, 'iscsi');
      assert.deepEqual(node.iscsi, [{ server: '192.0.2.50', password: 'kb-secret' }]);
      await p.context().close();
    });
  });

  it('7. a 400 px window: nothing overflows sideways, every editor is within reach', async () => {
    let p;
    await step('7', () => p, async () => {
      p = await freshPage('narrow page');
      await p.setViewportSize({ width: 400, height: 800 });
      await p.locator('#node-1-mode').selectOption('iscsi');
      await p.locator('#node-1 button.more-fields').click();
      await p.locator('#node-1-hostname').waitFor();
      await p.locator('#node-1-iscsi').click();
      await p.locator('#node-1-iscsi-0-server').fill('192.0.2.51');
      await p.locator('#http-server').fill('bad host!'); // errors shown too
      await p.locator('#problems').waitFor();
      const widths = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      assert.ok(widths.scroll <= widths.client, `document scrollWidth ${widths.scroll} > clientWidth ${widths.client}`);
      const outside = await p.evaluate(() => {
        const out = [];
        for (const e of document.querySelectorAll('input, select, textarea, button')) {
          if (e.getClientRects().length === 0) continue; // not rendered (e.g. a closed panel)
          const r = e.getBoundingClientRect();
          if (r.left < 0 || r.right > document.documentElement.clientWidth) out.push(`${e.id || e.className || e.tagName} ${Math.round(r.left)}..${Math.round(r.right)}`);
        }
        return out;
      });
      assert.deepEqual(outside, [], `editors out of reach at 400 px:\n${outside.join('\n')}`);
      await p.context().close();
    });
  });

  it(`8. a ${CSV_NODES}-node CSV import: import time and the preview update after it (figures)`, async (t) => {
    let p;
    await step('8', () => p, async () => {
      p = await freshPage('CSV page');
      const lines = ['mac,id,mode,kernel,ramdisk,kernel_args'];
      for (let i = 0; i < CSV_NODES; i++) {
        const mac = `52:54:02:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
        lines.push(`${mac},csv-${String(i).padStart(4, '0')},deploy,,,ipa-debug=1`);
      }
      const csv = lines.join('\n') + '\n';
      const last = `pxelinux.cfg/52-54-02-00-${(((CSV_NODES - 1) >> 8) & 0xff).toString(16).padStart(2, '0')}-${((CSV_NODES - 1) & 0xff).toString(16).padStart(2, '0')}`;
      // Ports typed one digit at a time: every intermediate value is a valid server.
      const base = 'http://10.0.4.1:1';
      await p.locator('#http-server').fill(base);
      await p.locator('#import-csv').fill(csv);
      const start = Date.now();
      await p.locator('#import-csv-apply').click();
      await p.locator(`#tree button.tree-entry[data-path="${last}"]`).waitFor({ state: 'attached', timeout: 120_000 });
      const importMs = Date.now() - start;
      const importUpdate = Number(await p.locator('#preview').getAttribute('data-update-ms'));
      // One page of editors: the tree has every node, the page 50 of them.
      assert.equal(await p.locator('#nodes > .node-row').count(), PAGE);
      assert.equal(await p.locator('#nodes-status').textContent(), 'Nodes 1–50 of 2,000');
      await p.locator('#tree button.tree-entry[data-path="pxelinux.cfg/52-54-02-00-00-00"]').click();
      const marker = (server) => `${server}/csv-0000/deploy_kernel`;
      await p.waitForFunction((m) => document.querySelector('#preview').textContent.includes(m), marker(base));
      const input = p.locator('#http-server');
      await input.focus();
      await input.press('End');
      const samples = [];
      let server = base;
      for (const digit of '2345') {
        server += digit;
        await p.keyboard.press(digit);
        await p.waitForFunction((m) => document.querySelector('#preview').textContent.includes(m), marker(server), { timeout: 30_000 });
        samples.push(Number(await p.locator('#preview').getAttribute('data-update-ms')));
      }
      figures.csv_import_2000 = {
        nodes: CSV_NODES,
        import_ms: importMs,
        import_update_ms: importUpdate,
        data_update_ms: samples,
        data_update_ms_median: median(samples),
        target_ms: 50,
      };
      t.diagnostic(`${CSV_NODES}-node CSV: import ${importMs} ms (data-update-ms ${importUpdate}); ` +
        `preview update after it ${samples.join(', ')} ms, median ${median(samples)} (target < 50 ms, not asserted)`);
      assert.ok(samples.every(Number.isFinite), `data-update-ms samples ${samples}`);

      // The pager, by keyboard: the last page shows node 2,000; its button keeps the focus.
      const status = p.locator('#nodes-status');
      assert.equal(await status.getAttribute('aria-live'), 'polite');
      await tabTo(p, '#nodes-next');
      await p.keyboard.press('Enter');
      await p.waitForFunction(() => document.querySelector('#nodes-status').textContent === 'Nodes 51–100 of 2,000');
      await tabTo(p, '#nodes-last');
      await p.keyboard.press('Enter');
      await p.waitForFunction(() => document.querySelector('#nodes-status').textContent === 'Nodes 1,951–2,000 of 2,000');
      assert.equal(await p.evaluate(() => document.activeElement.id), 'nodes-last');
      assert.equal(await p.locator('#nodes-last').getAttribute('aria-disabled'), 'true');
      assert.equal(await p.locator('#nodes > .node-row').count(), PAGE);
      assert.equal(await p.locator(`#node-${CSV_NODES - 1}-id`).inputValue(), `csv-${CSV_NODES - 1}`);
      // The filter, by a MAC (upper case): that one node.
      await p.locator('#node-filter').fill('52:54:02:00:04:D2');
      await p.waitForFunction(() => document.querySelectorAll('#nodes > .node-row').length === 1);
      assert.equal(await p.locator('#nodes > .node-row').getAttribute('id'), 'node-1234');
      assert.equal(await p.locator('#node-1234-id').inputValue(), 'csv-1234');
      assert.equal(await status.textContent(), 'Nodes 1–1 of 1 matching (2,000 in all)');
      // A problem of a node on another page: activating it shows that page, focuses the field.
      await p.locator('#node-1234-nics').fill('52:54:02:00:04:zz');
      // Edited so that it no longer matches, it stays (with the focus) until the filter changes.
      await p.locator('#node-1234-nics-error').waitFor();
      assert.equal(await p.locator('#nodes > .node-row').count(), 1);
      assert.equal(await p.evaluate(() => document.activeElement.id), 'node-1234-nics');
      await p.locator('#node-filter').fill(''); // back to the first page of every node
      await p.waitForFunction(() => document.querySelector('#nodes-status').textContent === 'Nodes 1–50 of 2,000');
      assert.equal(await p.locator('#node-1234-nics').count(), 0);
      await p.locator('#problems button.problem').click();
      await p.waitForFunction(() => document.activeElement?.id === 'node-1234-nics');
      assert.equal(await status.textContent(), 'Nodes 1,201–1,250 of 2,000');
      assert.equal(await p.locator('#node-1234-nics').getAttribute('aria-invalid'), 'true');
      // Its mark in the tree does the same from any page.
      await p.locator('#nodes-first').click();
      await p.locator('#tree button.tree-entry.invalid').click();
      await p.waitForFunction(() => document.activeElement?.id === 'node-1234-nics');
      assert.equal(await p.locator('#nodes > .node-row').count(), PAGE);
      await p.context().close();
    });
  });

  it('9. files and the clipboard: templates loaded from files, the DHCP config and a link copied', async () => {
    let p;
    await step('9', () => p, async () => {
      p = await freshPage('files and clipboard page');
      await p.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(http.url).origin });
      // A main script template from a file: the field names it, the panel holds its text,
      // and the main script is written from it.
      const main = readFileSync(join(root, 'examples/templates/main.ipxe'), 'utf8');
      const [first, ...rest] = main.split('\n');
      const loaded = [first, '# loaded from a file', ...rest].join('\n');
      await p.locator('#template-load-main').setInputFiles({ name: 'site-main.ipxe', mimeType: 'text/plain', buffer: Buffer.from(loaded) });
      await p.waitForFunction(() => document.querySelector('#ipxe-boot-script-template')?.value === 'site-main.ipxe');
      assert.equal(await p.locator('#template-0').inputValue(), loaded, '#template-0 holds the file');
      await p.locator('#tree button.tree-entry[data-path="boot.ipxe"]').click();
      await p.waitForFunction(() => document.querySelector('#preview').textContent.includes('# loaded from a file'));
      // The same template's text replaced from another file.
      const again = loaded.replace('# loaded from a file', '# loaded again');
      await p.locator('#template-file-0').setInputFiles({ name: 'other.ipxe', mimeType: 'text/plain', buffer: Buffer.from(again) });
      await p.waitForFunction(() => document.querySelector('#preview').textContent.includes('# loaded again'));
      assert.equal(await p.locator('#template-0').inputValue(), again);
      assert.equal(await p.locator('#ipxe-boot-script-template').inputValue(), 'site-main.ipxe');
      // The DHCP config, copied: the clipboard holds what the page shows.
      await p.locator('#copy-dhcp').click();
      const dhcpStatus = p.locator('#copy-dhcp + span[role="status"]');
      await p.waitForFunction(() => document.querySelector('#copy-dhcp + span[role="status"]').textContent !== '');
      assert.equal(await dhcpStatus.textContent(), 'Copied.');
      const config = await p.locator('#dhcp-config').textContent();
      assert.ok(config.length > 0, 'a DHCP config is shown');
      assert.equal(await p.evaluate(() => navigator.clipboard.readText()), config);
      // Another tab clears the status.
      await p.locator('button.dhcp-tab[data-format="isc"]').click();
      await p.waitForFunction(() => document.querySelector('#copy-dhcp + span[role="status"]').textContent === '');
      // A link to the site, copied, opens the same site in a fresh page (the fragment removed).
      await p.locator('#share-link').click();
      await p.waitForFunction(() => document.querySelector('#share-link ~ span[role="status"]').textContent !== '');
      assert.equal(await p.locator('#share-link ~ span[role="status"]').textContent(), 'Copied.');
      const link = await p.evaluate(() => navigator.clipboard.readText());
      assert.ok(link.startsWith(`${http.url}#site=`), `the link is ${link}`);
      const exported = await p.evaluate(() => localStorage.getItem('ipxegen.site'));
      const opened = await freshPage('linked page', link);
      await opened.waitForFunction(() => document.querySelector('#ipxe-boot-script-template')?.value === 'site-main.ipxe');
      assert.equal(await opened.evaluate(() => location.hash), '');
      assert.equal(await opened.evaluate(() => localStorage.getItem('ipxegen.site')), exported);
      await opened.context().close();
      await p.context().close();
    });
  });
});
