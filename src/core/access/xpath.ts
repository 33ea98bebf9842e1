/**
 * The `xPath` of metadata conditions, reduced to the one thing Gatehouse evaluates: a local
 * element name. Gatehouse has no XPath engine (no XML on the decision path: leaf values are
 * extracted by name when metadata is saved, see services/metadata/xml.ts), so every form reads the
 * leaves of that name at any depth — for the flat schemas of Kaltura metadata the same as the
 * path. Only the three forms the seed documents are accepted, plus `//X` (what the short form
 * means); anything else is refused at save time instead of never matching.
 */
import { RuleCompileError } from './errors.js';

/** An XML element name without a prefix (an NCName, ASCII subset). */
const NAME = '[A-Za-z_][A-Za-z0-9_.-]*';
const FULL = new RegExp(`^/metadata/(${NAME})$`);
const LOCAL_NAME = new RegExp(`^/\\*\\[local-name\\(\\)\\s*=\\s*(['"])metadata\\1\\]/\\*\\[local-name\\(\\)\\s*=\\s*(['"])(${NAME})\\2\\]$`);
const SHORT = new RegExp(`^(?://)?(${NAME})$`);

/**
 * `/metadata/X`, `/*[local-name()='metadata']/*[local-name()='X']`, `X` or `//X` → `X`.
 * Throws RuleCompileError for any other expression.
 */
export function metadataFieldName(xPath: unknown, path: string): string {
  if (typeof xPath !== 'string') throw new RuleCompileError(path, 'xPath must be a string');
  const x = xPath.trim();
  const m = FULL.exec(x) ?? SHORT.exec(x);
  if (m) return m[1] as string;
  const l = LOCAL_NAME.exec(x);
  if (l) return l[3] as string;
  throw new RuleCompileError(
    path,
    `unsupported xPath ${JSON.stringify(xPath)}: use /metadata/Field, /*[local-name()='metadata']/*[local-name()='Field'] or Field`,
  );
}
