import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * Lists functions, methods and function-valued initializers longer than a limit (default 60 lines)
 * in lib/, functions/ and local/ — the house size limit (issue 11). `npx tsx tools/long-functions.ts [limit]`.
 */
const limit = Number(process.argv[2] ?? 60);
const files: string[] = [];
const walk = (dir: string): void => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.ts')) files.push(path);
  }
};
for (const root of ['lib', 'functions', 'local']) walk(root);

const found: string[] = [];
for (const file of files) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > limit) {
        const name =
          node.name && ts.isIdentifier(node.name)
            ? node.name.text
            : ts.isArrowFunction(node) || ts.isFunctionExpression(node)
              ? '(function)'
              : '?';
        found.push(`${lines}\t${file}:${start + 1}\t${name}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
console.log(found.sort((a, b) => Number(b.split('\t')[0]) - Number(a.split('\t')[0])).join('\n') || `no function over ${limit} lines`);
process.exitCode = found.length > 0 ? 1 : 0;
