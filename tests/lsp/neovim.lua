-- Loaded after docs/editors.md's Neovim set-up (the test passes it as the init file): opens a
-- story file, waits (bounded) for the diagnostics the set-up's server publishes, and writes
-- them to a file, one per line: line:col:end_line:end_col:message (0-based; columns in bytes,
-- as Neovim counts them). Driven by tests/lsp/test_neovim.py.
local out = os.getenv("MM_OUT")
local wait_ms = tonumber(os.getenv("MM_WAIT_MS") or "30000")

vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("MM_FILE")))
local buf = vim.api.nvim_get_current_buf()

-- A bounded wait for the first diagnostics, not a fixed sleep.
local received = vim.wait(wait_ms, function()
  return #vim.diagnostic.get(buf) > 0
end, 20)

local lines = {}
if not received then
  table.insert(lines, "TIMEOUT filetype=" .. vim.bo[buf].filetype .. " clients=" .. #vim.lsp.buf_get_clients(buf))
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(lines, string.format("%d:%d:%d:%d:%s", d.lnum, d.col, d.end_lnum, d.end_col, d.message))
end
vim.fn.writefile(lines, out)
vim.cmd("qall!")
