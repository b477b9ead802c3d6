import { isValidLabelKey, isValidLabelValue } from './kubernetesNames';

/**
 * One requirement of a Kubernetes label selector. `a=b` and `a==b` become `In [b]`, `a!=b` becomes
 * `NotIn [b]`, matching the operators of the API's LabelSelectorRequirement.
 */
export type LabelRequirement =
  | { key: string; operator: 'Exists' | 'DoesNotExist' }
  | { key: string; operator: 'In' | 'NotIn'; values: string[] }
  | { key: string; operator: 'Gt' | 'Lt'; value: number };

export type LabelSelectorParseResult =
  { ok: true; requirements: LabelRequirement[] } | { ok: false; error: string };

type TokenKind =
  | 'identifier'
  | 'in'
  | 'notin'
  | '!'
  | '='
  | '=='
  | '!='
  | '('
  | ')'
  | ','
  | '<'
  | '>'
  | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  position: number;
}

const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const SYMBOL_CHARS = new Set(['!', '=', '(', ')', ',', '<', '>']);
const INTEGER = /^[+-]?\d+$/;

/** A word is the operator `in` or `notin` when spelled so, else an identifier. */
function wordKind(text: string): TokenKind {
  if (text === 'in' || text === 'notin') return text;
  return 'identifier';
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (WHITESPACE.has(ch)) {
      i++;
      continue;
    }
    if (SYMBOL_CHARS.has(ch)) {
      const pair = input.slice(i, i + 2);
      if (pair === '==' || pair === '!=') {
        tokens.push({ kind: pair, text: pair, position: i });
        i += 2;
      } else {
        tokens.push({ kind: ch as TokenKind, text: ch, position: i });
        i++;
      }
      continue;
    }
    const start = i;
    while (
      i < input.length &&
      !WHITESPACE.has(input[i] as string) &&
      !SYMBOL_CHARS.has(input[i] as string)
    )
      i++;
    const text = input.slice(start, i);
    tokens.push({ kind: wordKind(text), text, position: start });
  }
  tokens.push({ kind: 'end', text: '', position: input.length });
  return tokens;
}

class SelectorSyntaxError extends Error {}

// As in Kubernetes, "in" and "notin" are operators only after a key; as a key or value they are plain words.
function isWord(token: Token): boolean {
  return (
    token.kind === 'identifier' || token.kind === 'in' || token.kind === 'notin'
  );
}

function describeToken(token: Token): string {
  return token.kind === 'end'
    ? 'the end of the selector'
    : `"${token.text}" at position ${token.position + 1}`;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    if (this.peek().kind === 'end') return requirements;
    for (;;) {
      requirements.push(this.requirement());
      const separator = this.next();
      if (separator.kind === 'end') return requirements;
      if (separator.kind !== ',') {
        throw new SelectorSyntaxError(
          `expected "," between requirements but found ${describeToken(separator)}`,
        );
      }
    }
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private key(token: Token): string {
    if (!isWord(token)) {
      throw new SelectorSyntaxError(
        `expected a label key but found ${describeToken(token)}`,
      );
    }
    if (!isValidLabelKey(token.text)) {
      throw new SelectorSyntaxError(
        `"${token.text}" is not a valid label key (an optional DNS-subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or ".", alphanumeric at both ends)`,
      );
    }
    return token.text;
  }

  private value(token: Token, key: string): string {
    if (!isWord(token)) {
      throw new SelectorSyntaxError(
        `expected a value for label "${key}" but found ${describeToken(token)}`,
      );
    }
    if (!isValidLabelValue(token.text)) {
      throw new SelectorSyntaxError(
        `"${token.text}" is not a valid value for label "${key}" (at most 63 letters, digits, "-", "_" or ".", alphanumeric at both ends)`,
      );
    }
    return token.text;
  }

  private requirement(): LabelRequirement {
    const first = this.next();
    if (first.kind === '!') {
      return { key: this.key(this.next()), operator: 'DoesNotExist' };
    }
    const key = this.key(first);
    const operator = this.peek();
    switch (operator.kind) {
      case ',':
      case 'end':
        return { key, operator: 'Exists' };
      case '=':
      case '==':
      case '!=': {
        this.next();
        // `key=` is legal and means "the label is present with an empty value".
        const value =
          this.peek().kind === ',' || this.peek().kind === 'end'
            ? ''
            : this.value(this.next(), key);
        return {
          key,
          operator: operator.kind === '!=' ? 'NotIn' : 'In',
          values: [value],
        };
      }
      case 'in':
      case 'notin':
        this.next();
        return {
          key,
          operator: operator.kind === 'in' ? 'In' : 'NotIn',
          values: this.valueList(key),
        };
      case '<':
      case '>': {
        this.next();
        const bound = this.next();
        if (!INTEGER.test(bound.text)) {
          throw new SelectorSyntaxError(
            `expected an integer after "${operator.text}" but found ${describeToken(bound)}`,
          );
        }
        return {
          key,
          operator: operator.kind === '>' ? 'Gt' : 'Lt',
          value: Number(bound.text),
        };
      }
      default:
        throw new SelectorSyntaxError(
          `expected an operator (=, ==, !=, in, notin, <, >) or "," after label key "${key}" but found ${describeToken(operator)}`,
        );
    }
  }

  private valueList(key: string): string[] {
    const open = this.next();
    if (open.kind !== '(') {
      throw new SelectorSyntaxError(
        `expected "(" to open the value list for "${key}" but found ${describeToken(open)}`,
      );
    }
    const values: string[] = [];
    for (;;) {
      values.push(this.value(this.next(), key));
      const after = this.next();
      if (after.kind === ')') return values;
      if (after.kind !== ',') {
        throw new SelectorSyntaxError(
          `expected "," or ")" in the value list for "${key}" but found ${describeToken(after)}`,
        );
      }
    }
  }
}

/**
 * Parses Kubernetes label-selector syntax (`a=b,c!=d,e in (x,y),f notin (z),!g,h`, plus `k>1`, `k<9`).
 * An empty selector has no requirements and matches every pod.
 */
export function parseLabelSelector(selector: string): LabelSelectorParseResult {
  try {
    return { ok: true, requirements: new Parser(tokenize(selector)).parse() };
  } catch (error) {
    if (error instanceof SelectorSyntaxError)
      return { ok: false, error: error.message };
    throw error;
  }
}

export function matchesLabelSelector(
  requirements: readonly LabelRequirement[],
  labels: Readonly<Record<string, string>>,
): boolean {
  return requirements.every(requirement =>
    matchesRequirement(requirement, labels),
  );
}

function matchesRequirement(
  requirement: LabelRequirement,
  labels: Readonly<Record<string, string>>,
): boolean {
  const present = Object.hasOwn(labels, requirement.key);
  const value = present ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'In':
      return value !== undefined && requirement.values.includes(value);
    // As in Kubernetes, `!=` and `notin` also match pods that lack the label.
    case 'NotIn':
      return value === undefined || !requirement.values.includes(value);
    case 'Gt':
    case 'Lt': {
      if (value === undefined || !INTEGER.test(value)) return false;
      const number = Number(value);
      return requirement.operator === 'Gt'
        ? number > requirement.value
        : number < requirement.value;
    }
    default: {
      const unknown: never = requirement;
      throw new Error(`unknown label operator in ${JSON.stringify(unknown)}`);
    }
  }
}
