// The tools VS Code knows (vscode.lm.tools: those extensions register, including the MCP
// servers configured in VS Code) as external tools for Rozet's workers, invoked with
// vscode.lm.invokeTool. Only when the user turned rozet.mcp.enabled on; which of them run
// without asking is rozet.mcp.allow (names, `vscode/<name>` or `vscode/*`).
import * as vscode from 'vscode';
import type { RozetConfig } from '../config';
import type { Redactor } from '../core/text/redact';
import { modelFacingNames, type ExternalTool, type ExternalTools } from '../core/tools/external-tools';
import { TOOL_NAMES } from '../core/tools/tools';

export function vscodeTools(values: RozetConfig, redactor: Redactor): ExternalTools | undefined {
  if (!values['rozet.mcp.enabled']) return undefined;
  const infos = vscode.lm.tools;
  const names = modelFacingNames(
    infos.map((info) => ({ server: '', tool: info.name })),
    '',
    TOOL_NAMES,
  );
  const tools: ExternalTool[] = infos.map((info, i) => ({
    name: names[i],
    description: info.description,
    parameters: (info.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} },
    server: 'vscode',
    tool: info.name,
  }));
  return {
    host: {
      tools,
      call: async (tool, args, signal) => {
        const cancel = new vscode.CancellationTokenSource();
        const onAbort = () => cancel.cancel();
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          const result = await vscode.lm.invokeTool(
            tool.tool,
            { input: (args ?? {}) as object, toolInvocationToken: undefined },
            cancel.token,
          );
          return { text: result.content.map(partText).join('\n'), isError: false };
        } finally {
          signal.removeEventListener('abort', onAbort);
          cancel.dispose();
        }
      },
    },
    allow: values['rozet.mcp.allow'],
    timeoutMs: values['rozet.mcp.timeoutSeconds'] * 1000,
    redactor,
    sessionAllowed: new Set(),
  };
}

function partText(part: unknown): string {
  if (part instanceof vscode.LanguageModelTextPart) return part.value;
  if (part instanceof vscode.LanguageModelPromptTsxPart) return JSON.stringify(part.value);
  return JSON.stringify(part);
}
