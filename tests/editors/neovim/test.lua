-- Headless Neovim with the repository's editors/neovim configuration: open the fixture
-- templates and the Bicep file, wait until the diagnostics the server published settle on what
-- the CLI says (or give up), apply the preferred quick fix in a template and in the Bicep
-- file, and write what was received to WPS_RESULTS.
local repo, ws, bin = os.getenv('WPS_REPO'), os.getenv('WPS_WS'), os.getenv('WPS_BIN')
local expected = vim.fn.json_decode(os.getenv('WPS_EXPECTED'))
vim.cmd('filetype on')
package.path = repo .. '/editors/neovim/lua/?.lua;' .. package.path
require('wps-lint').setup({ cmd = { bin, 'lsp' } })

-- The raw LSP diagnostics (UTF-16 positions), latest per file.
local published = {}
local show = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  published[vim.uri_to_fname(result.uri)] = result
  return show(err, result, ctx, config)
end

local function keys(path)
  local out = {}
  for _, d in ipairs((published[path] or {}).diagnostics or {}) do
    table.insert(out, string.format('%s:%d:%d', d.code, d.range.start.line + 1, d.range.start.character + 1))
  end
  table.sort(out)
  return out
end

local function settles_on(path, want)
  return vim.wait(30000, function()
    return published[path] ~= nil and vim.deep_equal(keys(path), want)
  end, 50)
end

local results = { diagnostics = {}, fixed = {} }
for _, name in ipairs({ 'app.json', 'alone.json', 'link.bicep' }) do
  local path = ws .. '/' .. name
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  settles_on(path, expected[name])
  -- Nothing published at all is not the same as no findings.
  results.diagnostics[name] = published[path] and keys(path) or vim.NIL
end

-- The quick fix of each file's WPS103, applied as the editor applies it.
for _, name in ipairs({ 'alone.json', 'link.bicep' }) do
  local path = ws .. '/' .. name
  local bufnr = vim.fn.bufnr(path)
  local codes = function()
    local out = {}
    for _, d in ipairs((published[path] or {}).diagnostics or {}) do
      table.insert(out, d.code)
    end
    return out
  end
  local fixed = { before = codes() }
  local finding
  for _, d in ipairs((published[path] or {}).diagnostics or {}) do
    if d.code == 'WPS103' then
      finding = d
    end
  end
  if finding then
    local params = {
      textDocument = { uri = vim.uri_from_fname(path) },
      range = finding.range,
      context = { diagnostics = { finding } },
    }
    local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 10000) or {}
    for _, response in pairs(responses) do
      for _, action in ipairs(response.result or {}) do
        if action.isPreferred and action.edit then
          vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
        end
      end
    end
    vim.wait(30000, function()
      return not vim.tbl_contains(codes(), 'WPS103')
    end, 50)
  end
  fixed.after = codes()
  results.fixed[name] = fixed
end

local file = io.open(os.getenv('WPS_RESULTS'), 'w')
file:write(vim.fn.json_encode(results))
file:close()
vim.cmd('qa!')
