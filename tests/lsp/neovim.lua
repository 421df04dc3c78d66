-- Attach `million-miles lsp` to a real editor: headless Neovim opens a story file, and the
-- diagnostics it received are written to a file, one per line (line:col:end_line:end_col:message,
-- 0-based, columns in bytes as Neovim counts them). Driven by tests/lsp/test_neovim.py.
local file = os.getenv("MM_FILE")
local out = os.getenv("MM_OUT")
local python = os.getenv("MM_PYTHON")
local wait_ms = tonumber(os.getenv("MM_WAIT_MS") or "30000")

vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local config = {
  name = "million-miles",
  cmd = { python, "-m", "game", "lsp" },
  root_dir = vim.fn.fnamemodify(file, ":p:h"),
}
if vim.lsp.start then -- Neovim 0.8 and later
  vim.lsp.start(config)
else -- Neovim 0.7 (Debian 12)
  local client = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, client)
end

-- A bounded wait for the first diagnostics, not a fixed sleep.
local received = vim.wait(wait_ms, function()
  return #vim.diagnostic.get(buf) > 0
end, 20)

local lines = {}
if not received then
  table.insert(lines, "TIMEOUT")
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(lines, string.format("%d:%d:%d:%d:%s", d.lnum, d.col, d.end_lnum, d.end_col, d.message))
end
vim.fn.writefile(lines, out)
vim.cmd("qall!")
