/** Builders for access-control tests: official-client objects and raw form bodies (the seed's curl style). */
import { kaltura, post, type TestGatehouse } from './gatehouse.js';

const O = kaltura.objects;

export const strings = (...values: string[]): any[] => values.map((value) => new O.StringValue({ value }));
export const play = (): any => new O.AccessControlContextTypeHolder({ type: kaltura.enums.ContextType.PLAY });
export const block = (): any => new O.AccessControlBlockAction();

/** One rule; `contexts` defaults to none (every context). */
export function rule(fields: { conditions?: any[]; actions?: any[]; contexts?: any[]; message?: string; stopProcessing?: boolean; code?: string; forceAdminValidation?: number }): any {
  return new O.Rule({ conditions: [], actions: [], ...fields });
}

/** accessControlProfile.add through the client; returns the created profile. */
export function addProfile(c: any, name: string, rules: any[], extra: Record<string, unknown> = {}): Promise<any> {
  return kaltura.services.accessControlProfile.add(new O.AccessControlProfile({ name, rules, ...extra })).execute(c);
}

/** A media entry through the client. */
export function addEntry(c: any, fields: Record<string, unknown> = {}): Promise<any> {
  return kaltura.services.media.add(new O.MediaEntry({ name: 'clip', mediaType: 1, ...fields })).execute(c);
}

/** Raw form POST of `service.action` with `format=1`; `fields` are already bracketed keys. */
export async function form(t: TestGatehouse, service: string, action: string, fields: Array<[string, string | number | boolean]>, headers: Record<string, string> = {}): Promise<{ json: any; headers: Headers }> {
  const body = new URLSearchParams([['format', '1'], ...fields.map(([k, v]) => [k, String(v)] as [string, string])]).toString();
  if (Object.keys(headers).length === 0) {
    const r = await post(t, `/api_v3/service/${service}/action/${action}`, body);
    return { json: r.json(), headers: r.headers };
  }
  const res = await fetch(`${t.url}/api_v3/service/${service}/action/${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
  return { json: await res.json(), headers: res.headers };
}

/** baseEntry.getContextData as form fields (`contextDataParams[...]`), returning the result and the X-Kaltura-ACP header. */
export async function contextData(
  t: TestGatehouse,
  ks: string,
  entryId: string,
  scope: Record<string, string | number> = {},
  headers: Record<string, string> = {},
): Promise<{ result: any; acp: string | null }> {
  const fields: Array<[string, string | number]> = [
    ['ks', ks],
    ['entryId', entryId],
    ['contextDataParams[objectType]', 'KalturaEntryContextDataParams'],
    // `contexts[0][type]` → `contextDataParams[contexts][0][type]`.
    ...Object.entries(scope).map(([k, v]) => [`contextDataParams${k.replace(/^([^[]+)/, '[$1]')}`, v] as [string, string | number]),
  ];
  const r = await form(t, 'baseEntry', 'getContextData', fields, headers);
  return { result: r.json, acp: r.headers.get('x-kaltura-acp') };
}

/** Whether a getContextData result carries a block action. */
export const blocked = (r: any): boolean => (r.actions ?? []).some((a: any) => a.objectType === 'KalturaAccessControlBlockAction');

/** A metadata profile schema with the seed's fields (Kaltura's `<metadata>` wrapper). */
export const XSD = `<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <xsd:element name="metadata">
    <xsd:complexType>
      <xsd:sequence>
        <xsd:element name="AudioLanguage" type="xsd:string" minOccurs="0" maxOccurs="unbounded"/>
        <xsd:element name="FormatType" type="xsd:string" minOccurs="0"/>
        <xsd:element name="ipadSunrise" type="xsd:long" minOccurs="0"/>
        <xsd:element name="ipadSunset" type="xsd:long" minOccurs="0"/>
      </xsd:sequence>
    </xsd:complexType>
  </xsd:element>
</xsd:schema>`;

/** A metadata document for that schema; array values repeat the element. */
export const xml = (fields: Record<string, string | number | Array<string | number>>): string =>
  `<metadata>${Object.entries(fields)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `<${k}>${x}</${k}>`))
    .join('')}</metadata>`;
