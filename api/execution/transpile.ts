/**
 * TypeScript submissions run as JavaScript: the source is type-stripped to CommonJS once per
 * run, before any process starts.
 */

type TranspileResult = { ok: true; code: string } | { ok: false; message: string };

/**
 * Type-strips a TypeScript submission to CommonJS. Only syntax errors fail it: like
 * `node --experimental-strip-types`, types are not checked, so a type error is not a compile error.
 */
export async function transpileTypeScript(code: string): Promise<TranspileResult> {
  // Loaded on first use: the compiler is large and only TypeScript submissions need it.
  const ts = (await import('typescript')).default;
  const output = ts.transpileModule(code, {
    fileName: 'main.ts',
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      sourceMap: false,
    },
  });
  const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length === 0) return { ok: true, code: output.outputText };
  const message = ts.formatDiagnostics(errors, {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => '',
    getNewLine: () => '\n',
  });
  return { ok: false, message };
}
