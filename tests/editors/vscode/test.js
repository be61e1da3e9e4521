// VS Code itself (code-server) in headless Chromium, with the extension's .vsix installed (and
// no Bicep extension): open the fixture templates and the Bicep file, read the wps-lint rows of
// the Problems panel until they show what the CLI says (or give up), apply the quick fix in the
// template, screenshot the Bicep file's finding with its hover, apply its quick fix, and write
// what was shown to WPS_RESULTS.
const fs = require("node:fs");
const { chromium } = require(process.env.WPS_PLAYWRIGHT);

const expected = JSON.parse(process.env.WPS_EXPECTED);
const url = `http://127.0.0.1:${process.env.WPS_PORT}/?folder=${encodeURIComponent(process.env.WPS_WS)}`;
const patience = 60000;

async function problems(page) {
  return page.$$eval(".markers-panel .monaco-list-row", (rows) =>
    rows.map((r) => ({ text: r.innerText, label: r.getAttribute("aria-label") || "" })),
  );
}

// Rows of wps-lint findings, as "CODE:LINE:COL", by the file their group names.
function byFile(rows) {
  const out = {};
  let file = null;
  for (const row of rows) {
    const place = row.text.match(/\[Ln (\d+), Col (\d+)\]/);
    if (!place) {
      file = row.text.split("\n")[0].trim();
      continue;
    }
    const code = row.text.match(/wps-lint\s*\(?(WPS\d+)\)?/);
    if (code && file) {
      (out[file] ||= []).push(`${code[1]}:${place[1]}:${place[2]}`);
    }
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

async function openFile(page, name) {
  // A double click opens the file for good (a single click only previews it).
  await page.dblclick(`.explorer-folders-view .monaco-list-row:has-text("${name}")`);
  await page.waitForSelector(`.tab[aria-label*="${name}"]`, { timeout: patience });
}

async function command(page, title) {
  await page.keyboard.press("F1");
  const input = await page.waitForSelector(".quick-input-widget input", { state: "visible" });
  // Filled rather than typed: keys pressed before the input has focus would be lost.
  await input.fill(`>${title}`);
  // Enter runs the highlighted command: wait until the filter has put this one there.
  await page.waitForSelector(`.quick-input-list .monaco-list-row.focused:has-text("${title}")`,
    { timeout: patience });
  await page.keyboard.press("Enter");
}

// Clicks the Problems row of a finding ("CODE:LINE:COL") and waits until the file's editor has
// it selected (the status bar shows the selection's line): Auto Fix asks for the fixes at the
// selection, and the click makes it only some time after the row is selected.
async function goTo(page, name, finding) {
  const [code, line, col] = finding.split(":");
  await page.click(`.markers-panel .monaco-list-row:has-text("${code}"):has-text("[Ln ${line}, Col ${col}]")`);
  await page.waitForSelector(`.tab.active[aria-label*="${name}"]`, { timeout: patience });
  await page.waitForSelector(
    `[id="status.editor.selection"]:has-text("Ln ${line},"):has-text("selected")`, { timeout: patience });
}

// Runs Auto Fix on the finding until the Problems panel no longer shows it; a run that found no
// fix yet (the server still answering) is tried again.
async function fix(page, name, finding) {
  const code = finding.split(":")[0];
  const gone = (got) => !(got[name] || []).some((k) => k.startsWith(code));
  let got = {};
  for (let attempt = 0; attempt < 3; attempt++) {
    await goTo(page, name, finding);
    await command(page, "Auto Fix");
    got = await until(page, gone, patience / 3);
    if (gone(got)) break;
  }
  return got;
}

async function until(page, done, wait = patience) {
  const deadline = Date.now() + wait;
  let last = {};
  while (Date.now() < deadline) {
    last = byFile(await problems(page));
    if (done(last)) break;
    await page.waitForTimeout(250);
  }
  return last;
}

(async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const results = { diagnostics: {}, fixed: {} };
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(url);
    await page.waitForSelector(".monaco-workbench", { timeout: patience });
    await page.waitForSelector(".explorer-folders-view .monaco-list-row", { timeout: patience });
    await openFile(page, "app.json");
    await openFile(page, "link.bicep");
    await openFile(page, "alone.json");
    await page.keyboard.press("Control+Shift+M");
    await page.waitForSelector(".markers-panel", { timeout: patience });
    const seen = await until(page, (got) =>
      Object.keys(expected).every((f) => JSON.stringify(got[f] || []) === JSON.stringify(expected[f])));
    for (const name of Object.keys(expected)) results.diagnostics[name] = seen[name] || [];
    if (process.env.WPS_DEBUG) console.error(JSON.stringify(await problems(page), null, 1));
    const codes = (got, name) => (got[name] || []).map((k) => k.split(":")[0]);
    results.fixed["alone.json"] = { before: codes(seen, "alone.json") };
    results.fixed["link.bicep"] = { before: codes(seen, "link.bicep") };
    const wps103 = (name) => (seen[name] || []).find((k) => k.startsWith("WPS103"));
    // Fix the template's finding from its row.
    let after = await fix(page, "alone.json", wps103("alone.json"));
    results.fixed["alone.json"].after = codes(after, "alone.json");
    // Show the Bicep file's finding with its hover, take the picture, and fix it.
    await goTo(page, "link.bicep", wps103("link.bicep"));
    await command(page, "Show or Focus Hover");
    await page.waitForSelector(".monaco-hover:has-text('rule page')", { timeout: patience });
    if (process.env.WPS_SCREENSHOT) await page.screenshot({ path: process.env.WPS_SCREENSHOT });
    await page.keyboard.press("Escape");
    after = await fix(page, "link.bicep", wps103("link.bicep"));
    results.fixed["link.bicep"].after = codes(after, "link.bicep");
  } catch (e) {
    results.error = String(e);
    if (process.env.WPS_DEBUG) await page.screenshot({ path: `${process.env.WPS_DEBUG}/failure.png` });
  } finally {
    fs.writeFileSync(process.env.WPS_RESULTS, JSON.stringify(results));
    await browser.close();
  }
})();
