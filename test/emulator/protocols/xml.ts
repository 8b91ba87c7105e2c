/** A minimal XML tree for building AWS responses; text children are escaped when rendered. */
export interface XmlNode {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly children: readonly (XmlNode | string)[];
}

export type XmlChild = XmlNode | string | number | boolean | Date | undefined | null | readonly XmlChild[];

export function el(name: string, ...children: XmlChild[]): XmlNode {
  return { name, children: flatten(children) };
}

export function withAttributes(node: XmlNode, attributes: Record<string, string>): XmlNode {
  return { ...node, attributes };
}

/** An element only when `value` is defined (AWS omits absent members). */
export function optionalEl(
  name: string,
  value: string | number | boolean | Date | undefined,
): XmlNode | undefined {
  return value === undefined ? undefined : el(name, value);
}

function flatten(children: readonly XmlChild[]): (XmlNode | string)[] {
  const out: (XmlNode | string)[] = [];
  for (const child of children) {
    if (child === undefined || child === null) continue;
    if (Array.isArray(child)) out.push(...flatten(child));
    else if (child instanceof Date) out.push(child.toISOString());
    else if (typeof child === 'object') out.push(child as XmlNode);
    else out.push(String(child));
  }
  return out;
}

export function renderXml(root: XmlNode, declaration = true): string {
  return (declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '') + render(root);
}

function render(node: XmlNode): string {
  const attributes = Object.entries(node.attributes ?? {})
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');
  const inner = node.children
    .map((child) => (typeof child === 'string' ? escapeXml(child) : render(child)))
    .join('');
  return `<${node.name}${attributes}>${inner}</${node.name}>`;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (char) => XML_ESCAPES[char]!);
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

/** Renders a plain object as awsQuery-style members: arrays become `<member>` lists. */
export function membersToXml(members: Record<string, unknown>): XmlNode[] {
  return Object.entries(members)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => valueToXml(name, value));
}

function valueToXml(name: string, value: unknown): XmlNode {
  if (Array.isArray(value)) return el(name, ...value.map((item) => valueToXml('member', item)));
  if (value instanceof Date) return el(name, value);
  if (typeof value === 'object' && value !== null)
    return el(name, ...membersToXml(value as Record<string, unknown>));
  return el(name, String(value));
}

/**
 * Text of the first `<name>` element in a small XML document (request bodies such as
 * CreateBucketConfiguration). Returns undefined when absent; throws on a document that is not XML.
 */
export function firstElementText(xml: string, name: string): string | undefined {
  const trimmed = xml.trim();
  if (trimmed === '') return undefined;
  if (!trimmed.startsWith('<') || !trimmed.endsWith('>')) throw new Error('not an XML document');
  const match = new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`).exec(trimmed);
  return match ? unescapeXml(match[1]!) : undefined;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');
}
