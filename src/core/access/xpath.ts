/**
 * The `xPath` of metadata conditions, reduced to the two things Gatehouse evaluates: the leaves
 * named X directly below the `<metadata>` root (`/metadata/X` and its `local-name()` spelling, key
 * `/X`) or at any depth (`X`, `//X`, key `X`). Gatehouse has no XPath engine (no XML on the
 * decision path: leaf values are extracted under both keys when metadata is saved, see
 * services/metadata/xml.ts), so only these forms are accepted and anything else is refused at
 * save time instead of never matching.
 */
import { RuleCompileError } from './errors.js';

/** An XML element name without a prefix (an NCName, ASCII subset). */
const NAME = '[A-Za-z_][A-Za-z0-9_.-]*';
const FULL = new RegExp(`^/metadata/(${NAME})$`);
const LOCAL_NAME = new RegExp(`^/\\*\\[local-name\\(\\)\\s*=\\s*(['"])metadata\\1\\]/\\*\\[local-name\\(\\)\\s*=\\s*(['"])(${NAME})\\2\\]$`);
const SHORT = new RegExp(`^(?://)?(${NAME})$`);

/**
 * The field key: `/metadata/X` and `/*[local-name()='metadata']/*[local-name()='X']` → `/X`;
 * `X` and `//X` → `X`. Throws RuleCompileError for any other expression.
 */
export function metadataFieldName(xPath: unknown, path: string): string {
  if (typeof xPath !== 'string') throw new RuleCompileError(path, 'xPath must be a string');
  const x = xPath.trim();
  const full = FULL.exec(x);
  if (full) return `/${full[1] as string}`;
  const l = LOCAL_NAME.exec(x);
  if (l) return `/${l[3] as string}`;
  const short = SHORT.exec(x);
  if (short) return short[1] as string;
  throw new RuleCompileError(
    path,
    `unsupported xPath ${JSON.stringify(xPath)}: use /metadata/Field, /*[local-name()='metadata']/*[local-name()='Field'] or Field`,
  );
}
