-- Drives the Rampart language server from Neovim's built-in LSP client (headless), for test/lsp/neovim.test.mjs.
-- Works with Neovim 0.7 (Debian bookworm: vim.lsp.start_client, no `nvim -l`) and later.
-- Environment: RAMPART_SERVER (dist/cli.js, run as `rampart lsp --stdio`), RAMPART_MODEL (a model file in a scratch folder),
-- RAMPART_ROOT (that folder), RAMPART_OUT (where the JSON results go).
local server = assert(os.getenv('RAMPART_SERVER'), 'RAMPART_SERVER')
local model = assert(os.getenv('RAMPART_MODEL'), 'RAMPART_MODEL')
local root = assert(os.getenv('RAMPART_ROOT'), 'RAMPART_ROOT')
local out_path = assert(os.getenv('RAMPART_OUT'), 'RAMPART_OUT')
local HEADLINE = 'risk/unmitigated-above-tolerance'
local TIMEOUT = 20000

local result = { nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch), errors = {} }

local function write_result()
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local function diagnostics_of(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(out, { code = code, lnum = d.lnum, col = d.col, severity = d.severity, source = d.source, message = d.message })
  end
  return out
end

local function count_headlines(bufnr, lnum)
  local n = 0
  for _, d in ipairs(diagnostics_of(bufnr)) do
    if d.code == HEADLINE and (lnum == nil or d.lnum == lnum) then n = n + 1 end
  end
  return n
end

--- The only answer of our client to a synchronous request (or nil and the error).
local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT)
  if not responses then return nil, tostring(err) end
  for _, r in pairs(responses) do
    if r.error then return nil, vim.inspect(r.error) end
    return r.result
  end
  return nil, 'no response'
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(model))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'yaml' -- what Neovim calls *.threatmodel.yaml without a custom filetype

  local config = {
    name = 'rampart',
    cmd = { 'node', server, 'lsp', '--stdio' }, -- what a user configures: `rampart lsp --stdio`
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'scratch' } },
    settings = { rampart = { debounceMs = 0 } },
    -- Neovim 0.7 does not send the settings by itself: push them once initialized.
    on_init = function(client)
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
    end,
  }
  local client_id = vim.lsp.start_client(config)
  assert(client_id, 'the client did not start')
  vim.lsp.buf_attach_client(bufnr, client_id)
  result.started = true

  -- 1. Diagnostics: the headline finding on the line of `checkout-skimming:`.
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local threat_line
  for i, l in ipairs(lines) do
    if l == '  checkout-skimming:' then threat_line = i - 1 break end
  end
  result.threat_line = threat_line
  vim.wait(TIMEOUT, function() return count_headlines(bufnr) > 0 end, 50)
  result.diagnostics = diagnostics_of(bufnr)

  -- 2. Hover over the threat's id.
  local uri = vim.uri_from_bufnr(bufnr)
  local hover, herr = request(bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = threat_line, character = 4 } })
  if herr then table.insert(result.errors, 'hover: ' .. herr) end
  if hover and hover.contents then
    result.hover = type(hover.contents) == 'table' and (hover.contents.value or vim.inspect(hover.contents)) or tostring(hover.contents)
  end

  -- 3. Code actions on the headline diagnostic, as Neovim sends them (its own diagnostics turned back into LSP).
  local line_diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, threat_line)
  local actions, aerr = request(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = { start = { line = threat_line, character = 2 }, ['end'] = { line = threat_line, character = 2 } },
    context = { diagnostics = line_diagnostics },
  })
  if aerr then table.insert(result.errors, 'codeAction: ' .. aerr) end
  result.code_actions = {}
  local accept
  for _, a in ipairs(actions or {}) do
    table.insert(result.code_actions, { title = a.title, kind = a.kind, has_edit = a.edit ~= nil, has_data = a.data ~= nil })
    if a.title:find('^Accept the risk') then accept = a end
  end

  -- 4. Resolve "Accept the risk", apply the edit as Neovim does, and see the finding go.
  if accept then
    local resolved, rerr = request(bufnr, 'codeAction/resolve', accept)
    if rerr then table.insert(result.errors, 'resolve: ' .. rerr) end
    result.resolved_has_edit = resolved ~= nil and resolved.edit ~= nil
    if result.resolved_has_edit then
      local before = count_headlines(bufnr)
      vim.lsp.util.apply_workspace_edit(resolved.edit, 'utf-16')
      vim.wait(TIMEOUT, function() return count_headlines(bufnr) < before end, 50)
      result.headlines_before = before
      result.headlines_after = count_headlines(bufnr)
      result.headline_after_on_line = count_headlines(bufnr, threat_line)
    end
  end

  -- 5. Definition of a reference (the first target of the threat) and the outline.
  for i = threat_line + 1, #lines - 1 do
    local col = lines[i + 1]:find('targets: %[')
    if col then
      local def, derr = request(bufnr, 'textDocument/definition', { textDocument = { uri = uri }, position = { line = i, character = col + 9 } })
      if derr then table.insert(result.errors, 'definition: ' .. derr) end
      local loc = def and (def.range and def or def[1])
      result.definition_line = loc and (loc.range or loc.targetSelectionRange).start.line
      result.definition_text = result.definition_line and vim.api.nvim_buf_get_lines(bufnr, result.definition_line, result.definition_line + 1, false)[1]
      break
    end
  end
  local symbols, serr = request(bufnr, 'textDocument/documentSymbol', { textDocument = { uri = uri } })
  if serr then table.insert(result.errors, 'documentSymbol: ' .. serr) end
  result.symbols = {}
  for _, s in ipairs(symbols or {}) do table.insert(result.symbols, s.name) end

  vim.lsp.stop_client(client_id)
  vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
end)

if not ok then table.insert(result.errors, tostring(err)) end
write_result()
vim.cmd('qa!')
