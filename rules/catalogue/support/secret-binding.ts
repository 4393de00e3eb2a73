/**
 * Where a literal value goes: the name it is bound to (variable, property, class field, default
 * parameter, assignment target, returning function), whether it is the fallback of `a || "x"`, or
 * which call it is passed to. Shared by the hardcoded-secret and hardcoded-mfa-code rules.
 *
 * Only looks *up* from the literal, so it is safe from a visitor (ancestors have parents).
 */
import ts = require("typescript");
import { calleeName, calleePath, propertyNameText, staticString, unwrap } from "../../ast";

/** The words of an identifier, lower case: `stripeSecretKey` → stripe, secret, key; `DEV_2FA_CODE` → dev, 2fa, code. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([0-9])([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

export type BindingSite = "variable" | "property" | "field" | "parameter" | "assignment" | "return" | "argument" | "element" | "other";

export interface LiteralBinding {
  site: BindingSite;
  /** The identifier or property name the value is bound to. */
  name?: string;
  /** The whole expression that is the value: the literal, `Buffer.from("…")`, or the `a || "…"` around it. */
  value: ts.Expression;
  /** `a || "literal"` / `a ?? "literal"`, with the literal (or what wraps it) on the right. */
  fallback?: ts.BinaryExpression;
  /** What the left side of the fallback reads: env var names, config keys, property names. */
  fallbackNames: string[];
  /** The env var the fallback's left side reads (`process.env.JWT_SECRET` → JWT_SECRET). */
  fallbackEnv?: string;
  /** site "argument": the call and the argument's index. */
  call?: ts.CallExpression | ts.NewExpression;
  index?: number;
  /** site "property": the object literal that holds the property. */
  object?: ts.ObjectLiteralExpression;
  /** site "assignment": the assignment's target. */
  target?: ts.Expression;
  /** site "element": where the array itself is bound. */
  container?: LiteralBinding;
}

/**
 * Kinds read once: `import * as ts` compiles to a namespace of getters, and this code runs for every
 * string literal of every file.
 */
const Kind = ts.SyntaxKind;

/** Parentheses, `as`, `satisfies`, `!`, `<T>`: what `unwrap` strips. */
export function isWrapper(node: ts.Node): boolean {
  const kind = node.kind;
  return (
    kind === Kind.ParenthesizedExpression ||
    kind === Kind.AsExpression ||
    kind === Kind.SatisfiesExpression ||
    kind === Kind.NonNullExpression ||
    kind === Kind.TypeAssertionExpression
  );
}

/** `Buffer.from("…")`, `new TextEncoder().encode("…")`: the bytes of the same secret. */
function isEncodingCall(call: ts.CallExpression): boolean {
  const name = calleeName(call);
  if (name === "encode") return true;
  return name === "from" && calleePath(call) === "Buffer.from";
}

function isFallbackOperator(kind: ts.SyntaxKind): boolean {
  return kind === Kind.BarBarToken || kind === Kind.QuestionQuestionToken;
}

/** Climbs wrappers (parentheses, `as`, `!`, encoding calls) from `node`; returns the outermost and its parent. */
function climb(node: ts.Expression): { value: ts.Expression; parent: ts.Node | undefined } {
  let value = node;
  let parent = node.parent;
  while (parent) {
    if (isWrapper(parent)) {
      value = parent as ts.Expression;
    } else if (parent.kind === Kind.CallExpression && (parent as ts.CallExpression).arguments[0] === value && isEncodingCall(parent as ts.CallExpression)) {
      value = parent as ts.CallExpression;
    } else {
      break;
    }
    parent = value.parent;
  }
  return { value, parent };
}

/** Where `literal` is bound. */
export function bindingOf(literal: ts.Expression): LiteralBinding {
  let { value, parent } = climb(literal);
  let fallback: ts.BinaryExpression | undefined;
  const fallbackNames: string[] = [];
  let fallbackEnv: string | undefined;
  if (parent && parent.kind === Kind.BinaryExpression) {
    const binary = parent as ts.BinaryExpression;
    if (binary.right === value && isFallbackOperator(binary.operatorToken.kind)) {
      fallback = binary;
      collectNamesRead(binary.left, fallbackNames);
      fallbackEnv = envVarRead(binary.left);
      ({ value, parent } = climb(binary));
    }
  }
  const binding: LiteralBinding = { site: "other", value, fallback, fallbackNames, fallbackEnv };
  if (!parent) return binding;
  switch (parent.kind) {
    case Kind.VariableDeclaration: {
      const declaration = parent as ts.VariableDeclaration;
      if (declaration.initializer !== value) break;
      binding.site = "variable";
      if (ts.isIdentifier(declaration.name)) binding.name = declaration.name.text;
      break;
    }
    case Kind.PropertyAssignment: {
      const property = parent as ts.PropertyAssignment;
      if (property.initializer !== value) break;
      binding.site = "property";
      binding.name = propertyNameText(property.name);
      if (ts.isObjectLiteralExpression(property.parent)) binding.object = property.parent;
      break;
    }
    case Kind.PropertyDeclaration: {
      const field = parent as ts.PropertyDeclaration;
      if (field.initializer !== value) break;
      binding.site = "field";
      binding.name = propertyNameText(field.name);
      break;
    }
    case Kind.Parameter: {
      const parameter = parent as ts.ParameterDeclaration;
      if (parameter.initializer !== value) break;
      binding.site = "parameter";
      if (ts.isIdentifier(parameter.name)) binding.name = parameter.name.text;
      break;
    }
    case Kind.BindingElement: {
      const element = parent as ts.BindingElement;
      if (element.initializer !== value) break;
      binding.site = "parameter";
      binding.name = ts.isIdentifier(element.name) ? element.name.text : element.propertyName ? propertyNameText(element.propertyName) : undefined;
      break;
    }
    case Kind.BinaryExpression: {
      const assignment = parent as ts.BinaryExpression;
      if (assignment.right !== value || assignment.operatorToken.kind !== Kind.EqualsToken) break;
      binding.site = "assignment";
      binding.target = assignment.left;
      binding.name = lastName(assignment.left);
      break;
    }
    case Kind.ReturnStatement: {
      binding.site = "return";
      const fn = enclosingFunctionOf(parent);
      if (fn) binding.name = functionName(fn);
      break;
    }
    case Kind.ArrowFunction: {
      const arrow = parent as ts.ArrowFunction;
      if (arrow.body !== value) break;
      binding.site = "return";
      binding.name = functionName(arrow);
      break;
    }
    case Kind.CallExpression:
    case Kind.NewExpression: {
      const call = parent as ts.CallExpression | ts.NewExpression;
      const index = call.arguments ? call.arguments.indexOf(value) : -1;
      if (index < 0) break;
      binding.site = "argument";
      binding.call = call;
      binding.index = index;
      break;
    }
    case Kind.ArrayLiteralExpression: {
      binding.site = "element";
      binding.container = bindingOf(parent as ts.ArrayLiteralExpression);
      binding.name = binding.container.name;
      break;
    }
  }
  return binding;
}

/** The last name of an assignment target: `config.jwt.secret` → secret, `process.env["API_KEY"]` → API_KEY. */
export function lastName(target: ts.Expression): string | undefined {
  const node = unwrap(target);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node)) return staticString(node.argumentExpression);
  return undefined;
}

/** Names an expression reads: `process.env.JWT_SECRET` → JWT_SECRET, `opts.secret` → secret, `config.get("jwt.secret")` → jwt.secret. */
function collectNamesRead(expression: ts.Expression, into: string[]): void {
  const node = unwrap(expression);
  if (ts.isBinaryExpression(node) && isFallbackOperator(node.operatorToken.kind)) {
    collectNamesRead(node.left, into);
    collectNamesRead(node.right, into);
  } else if (ts.isCallExpression(node)) {
    const method = calleeName(node);
    const key = staticString(node.arguments[0]);
    if (key !== undefined && (method === "get" || method === "getOrThrow" || method === "getString")) into.push(key);
  } else {
    const name = lastName(node);
    if (name !== undefined) into.push(name);
  }
}

/** `process.env.X`, `process.env["X"]`, `import.meta.env.X` → X. */
export function envVarRead(expression: ts.Expression): string | undefined {
  const node = unwrap(expression);
  if (ts.isBinaryExpression(node) && isFallbackOperator(node.operatorToken.kind)) return envVarRead(node.left) ?? envVarRead(node.right);
  if (!ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node)) return undefined;
  const object = unwrap(node.expression);
  const isEnv =
    ts.isPropertyAccessExpression(object) &&
    object.name.text === "env" &&
    ((ts.isIdentifier(object.expression) && object.expression.text === "process") || ts.isMetaProperty(object.expression));
  return isEnv ? lastName(node) : undefined;
}

function enclosingFunctionOf(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return current;
  }
  return undefined;
}

/** The name a function is known by: its own, or the variable/property/method it is assigned to. */
export function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  const parent = fn.parent;
  if (!parent) return undefined;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return propertyNameText(parent.name);
  return undefined;
}
