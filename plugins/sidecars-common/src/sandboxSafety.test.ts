import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// This package is bundled into Temporal's deterministic workflow sandbox: no clock, randomness,
// timers, process state or Node built-ins; every function takes the current time as a parameter.
const FORBIDDEN: Array<[RegExp, string]> = [
  [/Date\.now\s*\(/, 'Date.now()'],
  [/new Date\s*\(\s*\)/, 'new Date() without an argument'],
  [/Math\.random/, 'Math.random'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/, 'timers'],
  [/\bprocess\./, 'process'],
  [/\bperformance\./, 'performance'],
  [/from\s+['"]node:/, 'Node built-in modules'],
  [
    /from\s+['"](fs|path|os|crypto|child_process|util|events|stream|url)['"]/,
    'Node built-in modules',
  ],
  [/\brequire\s*\(/, 'require()'],
];

function withoutComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
}

describe('sandbox safety', () => {
  const directory = import.meta.dirname;
  const modules = readdirSync(directory).filter(
    file => file.endsWith('.ts') && !file.endsWith('.test.ts'),
  );

  it('finds the modules to check', () => {
    assert.ok(
      modules.includes('index.ts') && modules.includes('windows.ts'),
      modules.join(', '),
    );
  });

  for (const file of modules) {
    it(`${file} uses nothing non-deterministic`, () => {
      const source = withoutComments(
        readFileSync(join(directory, file), 'utf8'),
      );
      for (const [pattern, what] of FORBIDDEN) {
        assert.doesNotMatch(source, pattern, `${file} uses ${what}`);
      }
    });
  }
});
