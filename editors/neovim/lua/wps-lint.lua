-- wps-lint for Neovim: starts `wps-lint lsp` for Bicep buffers and for JSON buffers that are
-- ARM deployment templates or parameter files. Works with `vim.lsp.start` (Neovim 0.8+) and
-- falls back to `vim.lsp.start_client` on 0.7.
local M = {}

M.defaults = {
  cmd = { 'wps-lint', 'lsp' },
  -- Server settings: select, ignore, rulesDirs, config (see editors/README).
  settings = {},
  -- Neovim gives `.bicep` and, in recent versions, `.bicepparam` files the `bicep` filetype;
  -- some configurations name the latter `bicep-params`.
  filetypes = { 'bicep', 'bicep-params', 'json', 'jsonc' },
}

local root_markers = { 'wps-lint.toml', '.git' }

--- The workspace folder: the nearest folder up from the file that holds a wps-lint.toml or
--- .git, else the file's own folder.
function M.root_dir(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while true do
    for _, marker in ipairs(root_markers) do
      local candidate = dir .. '/' .. marker
      if vim.fn.filereadable(candidate) == 1 or vim.fn.isdirectory(candidate) == 1 then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return vim.fn.fnamemodify(path, ':p:h')
    end
    dir = parent
  end
end

--- Whether the buffer is a Bicep file or parameter file, or names a deployment template or
--- parameters `$schema`.
function M.is_deployment_file(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr):lower()
  if name:match('%.bicep$') or name:match('%.bicepparam$') then
    return true
  end
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, 50, false)
  local head = table.concat(lines, '\n'):lower()
  if not head:find('"$schema"', 1, true) then
    return false
  end
  return head:find('deploymenttemplate.json', 1, true) ~= nil
    or head:find('deploymentparameters.json', 1, true) ~= nil
end

local clients = {}

local function attach(bufnr, opts)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == '' or not M.is_deployment_file(bufnr) then
    return
  end
  local root = M.root_dir(path)
  local config = {
    name = 'wps-lint',
    cmd = opts.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = opts.settings,
    settings = { ['wps-lint'] = opts.settings },
  }
  if vim.lsp.start then
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client(config)
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

function M.setup(opts)
  opts = vim.tbl_deep_extend('force', M.defaults, opts or {})
  local group = vim.api.nvim_create_augroup('wps-lint', { clear = true })
  -- An older Neovim may know no `.bicepparam` (or `.bicep`): give them the filetype recent
  -- versions do, unless something else already has.
  vim.api.nvim_create_autocmd({ 'BufNewFile', 'BufRead' }, {
    group = group,
    pattern = { '*.bicep', '*.bicepparam' },
    callback = function(args)
      if vim.bo[args.buf].filetype == '' then
        vim.bo[args.buf].filetype = 'bicep'
      end
    end,
  })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      attach(args.buf, opts)
    end,
  })
end

return M
