// A Million Miles Away stories in VS Code: starts `million-miles lsp` and connects it to every
// YAML file of the workspace. The server itself decides which files are story files (those in
// a folder holding story.yaml, and playthroughs); it ignores every other YAML file.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace
    .getConfiguration("millionMiles")
    .get("server", ["million-miles", "lsp"]);
  client = new LanguageClient(
    "millionMiles",
    "A Million Miles Away stories",
    { command, args },
    {
      documentSelector: [{ scheme: "file", language: "yaml" }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{yaml,yml}") },
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
