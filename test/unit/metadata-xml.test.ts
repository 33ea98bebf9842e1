/** Field extraction from metadata XSDs and documents (services/metadata/xml.ts). */
import { describe, expect, it } from 'vitest';
import { fieldsForRules, MAX_XML_LENGTH, metadataFields, parseXml, xsdFieldNames } from '../../src/services/metadata/xml.js';

function root(text: string) {
  const r = parseXml(text);
  if (!r.ok) throw new Error(r.error);
  return r.root;
}

describe('metadata XML', () => {
  it('field names are the nested xsd:element names, in order, without duplicates; any prefix works', () => {
    const xsd = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="metadata"><xs:complexType><xs:sequence>
      <xs:element name="A" type="xs:string"/><xs:element name="B"><xs:complexType><xs:sequence><xs:element name="C"/></xs:sequence></xs:complexType></xs:element><xs:element name="A"/>
      </xs:sequence></xs:complexType></xs:element></xs:schema>`;
    expect(xsdFieldNames(root(xsd))).toEqual(['A', 'B', 'C']);
    expect(xsdFieldNames(root('<metadata/>'))).toBeUndefined();
  });

  it('values: leaf text by local name, repeated elements in order, CDATA and character references decoded', () => {
    const doc = `<?xml version="1.0"?><m:metadata xmlns:m="urn:x"><!-- note --><A>one</A><B><C> nested </C></B><A><![CDATA[two & <three>]]></A><D attr="x"/><E>a &amp; b &#233;</E></m:metadata>`;
    // By name at any depth, and (root <metadata>) directly below the root under `/name`.
    expect(metadataFields(root(doc))).toEqual({ '/': [], A: ['one', 'two & <three>'], '/A': ['one', 'two & <three>'], C: ['nested'], D: [''], '/D': [''], E: ['a & b é'], '/E': ['a & b é'] });
    // Another root: nothing is directly below <metadata>.
    expect(metadataFields(root('<other><A>x</A></other>'))).toEqual({ '/': [], A: ['x'] });
  });

  it('records saved before the direct keys existed read every leaf as direct, as they always did', () => {
    expect(Object.fromEntries(fieldsForRules({ A: ['1'], C: ['n'] }))).toEqual({ A: ['1'], C: ['n'], '/A': ['1'], '/C': ['n'], '/': [] });
    const current = { '/': [], A: ['1'], '/A': ['1'], C: ['n'] };
    expect(Object.fromEntries(fieldsForRules(current))).toEqual(current);
  });

  it('values keep leading zeros; element names that could reach a prototype are refused', () => {
    expect(metadataFields(root('<metadata><n>007</n></metadata>')).n).toEqual(['007']);
    const r = parseXml('<metadata><__proto__>x</__proto__></metadata>');
    expect(r.ok).toBe(false);
  });

  it('refuses what is not one well-formed element, DOCTYPEs and oversized documents', () => {
    for (const [text, error] of [
      ['', 'the document is empty'],
      ['<a><b></a>', /closing tag/],
      ['<a/><b/>', 'the document must have exactly one root element'],
      ['<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', 'DOCTYPE declarations are not accepted'],
      [`<a>${'x'.repeat(MAX_XML_LENGTH)}</a>`, /longer than/],
    ] as const) {
      const r = parseXml(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(error);
    }
  });
});
