/**
 * The only XML handling in Gatehouse: field names from a metadata profile's XSD and field values
 * from a metadata document, both extracted once at save time so access decisions never parse XML.
 * Parsing is fast-xml-parser's (no hand-rolled XML), with DOCTYPEs refused outright: entity
 * expansion is the classic way to make an XML parser allocate without bound.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Largest document accepted, in characters; metadata drives rules, it is not a content store. */
export const MAX_XML_LENGTH = 256 * 1024;

type Node = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Predefined, numeric (and HTML's fixed) character references only: DOCTYPEs, the only source of
  // user-defined entities, are refused before parsing.
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 100,
});

/** Result of a well-formedness check: the parsed root children, or a sentence saying what is wrong. */
type Parsed = { ok: true; root: Node } | { ok: false; error: string };

/** Parses a document that must be well-formed XML with exactly one root element. */
export function parseXml(text: string): Parsed {
  if (text.trim() === '') return { ok: false, error: 'the document is empty' };
  if (text.length > MAX_XML_LENGTH) return { ok: false, error: `the document is longer than ${MAX_XML_LENGTH} characters` };
  if (/<!DOCTYPE/i.test(text)) return { ok: false, error: 'DOCTYPE declarations are not accepted' };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, error: `${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})` };
  let nodes: Node[];
  try {
    nodes = parser.parse(text) as Node[];
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : 'not well-formed XML' };
  }
  const elements = nodes.filter((n) => elementName(n) !== undefined);
  if (elements.length !== 1) return { ok: false, error: 'the document must have exactly one root element' };
  return { ok: true, root: elements[0]! };
}

/**
 * Field names of a metadata profile: the `name` of every `xsd:element` nested inside the root
 * element declaration (Kaltura's `<metadata>` wrapper), in document order, without duplicates.
 */
export function xsdFieldNames(root: Node): string[] | undefined {
  if (elementName(root) !== 'schema') return undefined;
  const names: string[] = [];
  const walk = (node: Node, depth: number): void => {
    const tag = elementName(node);
    if (tag === undefined) return;
    let nextDepth = depth;
    if (tag === 'element') {
      const name = attribute(node, 'name');
      if (name && depth > 0 && !names.includes(name)) names.push(name);
      nextDepth = depth + 1;
    }
    for (const child of children(node, tag)) walk(child, nextDepth);
  };
  walk(root, 0);
  return names;
}

/**
 * Marks field records that also hold the leaves directly below a `<metadata>` root under `/name`
 * (what `/metadata/name` selects); records saved before carry only the by-name keys.
 */
export const DIRECT_MARK = '/';

/**
 * Values of a metadata document: each leaf element's text under its local name (what `//name`
 * selects), in document order; repeated elements give several values. Elements with child
 * elements contribute only through their children. Leaves directly below a `<metadata>` root are
 * also kept under `/name`, and the record carries DIRECT_MARK.
 */
export function metadataFields(root: Node): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  out[DIRECT_MARK] = [];
  const walk = (node: Node, direct: boolean): void => {
    const tag = elementName(node);
    if (tag === undefined) return;
    const kids = children(node, tag);
    const elements = kids.filter((k) => elementName(k) !== undefined);
    if (elements.length) {
      for (const k of elements) walk(k, false);
      return;
    }
    const text = kids.map((k) => (typeof k['#text'] === 'string' ? k['#text'] : '')).join('');
    (out[tag] ??= []).push(text);
    if (direct) (out[`/${tag}`] ??= []).push(text);
  };
  const rootTag = elementName(root)!;
  for (const k of children(root, rootTag)) walk(k, rootTag === 'metadata');
  return { ...out };
}

/**
 * Stored fields as conditions read them. A record saved before DIRECT_MARK existed has only the
 * by-name keys; it is read as it always was, every leaf counting as directly below the root.
 */
export function fieldsForRules(stored: Readonly<Record<string, string[]>>): Map<string, string[]> {
  const fields = new Map(Object.entries(stored));
  if (!fields.has(DIRECT_MARK)) {
    for (const [k, v] of [...fields]) fields.set(`/${k}`, v);
    fields.set(DIRECT_MARK, []);
  }
  return fields;
}

function elementName(node: Node): string | undefined {
  for (const key of Object.keys(node)) if (key !== ':@' && key !== '#text') return key;
  return undefined;
}

function children(node: Node, tag: string): Node[] {
  const v = node[tag];
  return Array.isArray(v) ? (v as Node[]) : [];
}

function attribute(node: Node, name: string): string | undefined {
  const attrs = node[':@'] as Record<string, unknown> | undefined;
  const v = attrs?.[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}
