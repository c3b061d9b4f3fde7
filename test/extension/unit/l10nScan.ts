/**
 * Finds user-visible English in the extension's sources that does not go
 * through `l10n.t` / `vscode.l10n.t`: a literal with words in it, or a single
 * word where the user reads it (a label, a title, a message, a panel text).
 * Read with the TypeScript parser, so comments, types and imports are not text.
 *
 * Not text for the user, so not scanned:
 * - the log (LogOutputChannel calls, `note`, `console`): it stays in English,
 *   as VS Code's own logs do, so that a log pasted into a bug report reads the
 *   same to everyone;
 * - what the engine says (packages/engine): the engine and its CLI speak
 *   English; the extension puts its own localized words around them.
 */
import * as ts from 'typescript';

export interface Finding {
  file: string;
  line: number;
  text: string;
}

/** Words: two of them with letters, or a sentence's end. */
const PROSE = /[A-Za-z]{2,}[,.:;…!?')]?\s+[A-Za-z(#"']/;
/** One capitalised word (a button, a status) in a place the user reads. */
const WORD = /^[A-Z][a-z]{2,}…?$/;
/** Properties and attributes whose values the user reads. */
const SHOWN = new Set(['label', 'description', 'detail', 'title', 'tooltip', 'message', 'placeholder', 'prompt', 'openLabel', 'text', 'alt', 'aria-label', 'aria-valuetext', 'textContent', 'name']);
/** Calls whose arguments go to the log. */
const LOGGED = new Set(['trace', 'debug', 'info', 'warn', 'error', 'appendLine', 'note', 'log']);

function calleeName(call: ts.CallExpression): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** `l10n.t(…)` or `vscode.l10n.t(…)`. */
function isLocalize(call: ts.CallExpression): boolean {
  const e = call.expression;
  return ts.isPropertyAccessExpression(e) && e.name.text === 't' && /(^|\.)l10n$/.test(e.expression.getText());
}

function isLogCall(call: ts.CallExpression): boolean {
  const e = call.expression;
  if (ts.isPropertyAccessExpression(e) && e.expression.getText() === 'console') return true;
  return LOGGED.has(calleeName(call) ?? '') && !/^vscode\.window\./.test(e.getText());
}

/** Whether a literal's place makes a single word user-visible. */
function shownPlace(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) return SHOWN.has(parent.name.getText().replace(/['"]/g, ''));
  if (ts.isBinaryExpression(parent) && parent.right === node
    && ts.isPropertyAccessExpression(parent.left)) return SHOWN.has(parent.left.name.text);
  if (ts.isConditionalExpression(parent)) return shownPlace(parent);
  if (ts.isCallExpression(parent)) {
    const name = calleeName(parent) ?? '';
    if (/^show(Information|Warning|Error)Message$|^showQuickPick$|^setStatusBarMessage$|^button$/.test(name)) return true;
    // el(tag, attributes, ...children): a text child.
    if (name === 'el') return parent.arguments.indexOf(node as ts.Expression) >= 2;
  }
  return false;
}

/** The literal's own text: a template's fixed parts, without what is put into it. */
function literalText(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression): string {
  if (!ts.isTemplateExpression(node)) return node.text;
  return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
}

/** Places where a literal is code, not text: a key, a comparison, a type, a module name, a switch case. */
function isCode(node: ts.Node): boolean {
  const parent = node.parent;
  return ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isLiteralTypeNode(parent)
    || ts.isCaseClause(parent)
    || ts.isElementAccessExpression(parent)
    || (ts.isPropertyAssignment(parent) && (parent.name === node || /^['"]?class['"]?$/.test(parent.name.getText())))
    || (ts.isBinaryExpression(parent) && ts.isPropertyAccessExpression(parent.left) && parent.left.name.text === 'className')
    || (ts.isBinaryExpression(parent) && /^(===|!==|==|!=)$/.test(parent.operatorToken.getText()))
    || (ts.isCallExpression(parent) && /^(require|RegExp|includes|startsWith|endsWith|getElementById|\$|querySelector|setAttribute|getAttribute|executeCommand|registerCommand|get|has)$/.test(calleeName(parent) ?? '') && parent.arguments[0] === node)
    || ts.isNewExpression(parent) && parent.expression.getText() === 'RegExp';
}

export function scanSource(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: Finding[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && (isLocalize(node) || isLogCall(node))) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      const text = literalText(node);
      if (!isCode(node) && (PROSE.test(text) || (WORD.test(text.trim()) && shownPlace(node)))) {
        found.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: text.slice(0, 80) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}
