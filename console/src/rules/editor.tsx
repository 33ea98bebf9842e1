/**
 * The rule editor: ordered rules, each with contexts, AND-ed conditions (each negatable), actions,
 * a message and the stop/admin switches. One structured form per condition and action type.
 */
import { useId, useState } from 'react';
import type { KObject } from '../api/types';
import { Check, Disclosure, Field, Select } from '../components/ui';
import { ACTIONS, COMPARISONS, CONDITIONS, CONTEXTS, FIELDS, labelOf, MATCH_TYPES, newRule, stringValues, withStringValues } from './model';

type Change<T> = (next: T) => void;

/** One value per line (countries and addresses may also be comma-separated). */
function Lines(p: { label: string; lines: string[]; onChange: Change<string[]>; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{p.label}</label>
      <textarea id={id} rows={Math.min(6, Math.max(2, p.lines.length + 1))} value={p.lines.join('\n')} onChange={(e) => p.onChange(e.target.value.split('\n'))} aria-describedby={p.hint ? `${id}-hint` : undefined} />
      {p.hint ? (
        <small id={`${id}-hint`} className="hint">
          {p.hint}
        </small>
      ) : null}
    </div>
  );
}

function num(v: unknown, fallback = 0): string {
  return typeof v === 'number' || typeof v === 'string' ? String(v) : String(fallback);
}

function AddPicker(p: { label: string; kinds: Array<{ objectType: string; label: string }>; onAdd: (objectType: string) => void }) {
  const [kind, setKind] = useState(p.kinds[0]?.objectType ?? '');
  return (
    <div className="inline">
      <Select label={`${p.label} type`} value={kind} onChange={setKind} options={p.kinds.map((k) => [k.objectType, k.label])} />
      <button type="button" onClick={() => p.onAdd(kind)}>
        Add {p.label.toLowerCase()}
      </button>
    </div>
  );
}

function ConditionFields(p: { c: KObject; set: (patch: Partial<KObject>) => void; onChange: Change<KObject>; depth: number }) {
  const { c, set } = p;
  const values = (label: string, hint: string, prop = 'values') => <Lines label={label} lines={stringValues(c, prop)} onChange={(l) => p.onChange(withStringValues(c, l, prop))} hint={hint} />;
  switch (c.objectType) {
    case 'KalturaCountryCondition':
      return values('Countries', 'ISO 3166 codes, one per line or comma-separated, e.g. DE, FR.');
    case 'KalturaIpAddressCondition':
      return (
        <>
          {values('IP addresses', 'Addresses, CIDRs (10.0.0.0/8, 2001:db8::/32) or ranges (10.0.0.1-10.0.0.9), one per line.')}
          <div className="inline">
            <Field label="Read the IP from header (optional)" value={String(c.httpHeader ?? '')} onChange={(v) => set({ httpHeader: v })} hint="e.g. X-Forwarded-For; empty: the client IP." />
            <Check label="Accept internal IPs" checked={c.acceptInternalIps === true} onChange={(v) => set({ acceptInternalIps: v })} />
          </div>
        </>
      );
    case 'KalturaSiteCondition':
      return values('Sites', 'Domains, one per line: example.com (and its subdomains as Kaltura does) or *.example.com.');
    case 'KalturaUserAgentCondition':
      return values('User-agent patterns', 'RE2 regular expressions, one per line, case-insensitive, e.g. .*iPhone.*');
    case 'KalturaAuthenticatedCondition':
      return values('Privileges', 'One per line, e.g. sview:* or sview:0_abc123.', 'privileges');
    case 'KalturaSessionTypeCondition':
      return <Select label="Session type" value={num(c.sessionType, 2)} onChange={(v) => set({ sessionType: Number(v) })} options={[['0', 'USER'], ['2', 'ADMIN']]} />;
    case 'KalturaUserRoleCondition':
      return <Field label="Role ids" value={String(c.roleIds ?? '')} onChange={(v) => set({ roleIds: v })} hint="Comma-separated role ids, e.g. 13,14." />;
    case 'KalturaHttpHeaderCondition':
      return (
        <>
          <Field label="Header name" value={String(c.headerName ?? '')} onChange={(v) => set({ headerName: v })} hint="e.g. X-Device" />
          {values('Header value patterns', 'RE2 regular expressions, one per line.')}
        </>
      );
    case 'KalturaActionNameCondition':
      return values('Action patterns', 'service.action as RE2, one per line, e.g. baseentry\\.getcontextdata');
    case 'KalturaHashCondition':
      return (
        <div className="inline">
          <Field label="Hash name" value={String(c.hashName ?? '')} onChange={(v) => set({ hashName: v })} />
          <Field label="Hash secret" value={String(c.hashSecret ?? '')} onChange={(v) => set({ hashSecret: v })} />
        </div>
      );
    case 'KalturaFieldMatchCondition':
    case 'KalturaFieldCompareCondition': {
      const field = (c.field as KObject | undefined) ?? { objectType: 'KalturaCountryContextField' };
      return (
        <>
          <div className="inline">
            <Select label="Field" value={field.objectType} onChange={(v) => set({ field: v === 'KalturaTimeContextField' ? { objectType: v, offset: 0 } : { objectType: v } })} options={FIELDS} />
            {field.objectType === 'KalturaTimeContextField' ? (
              <Field label="Time offset (seconds)" type="number" value={num(field.offset)} onChange={(v) => set({ field: { ...field, offset: Number(v) || 0 } })} />
            ) : null}
          </div>
          {c.objectType === 'KalturaFieldMatchCondition' ? (
            <>
              {values('Values', 'One per line.')}
              <Select label="When the field has several values" value={num(c.matchType, 1)} onChange={(v) => set({ matchType: Number(v) })} options={MATCH_TYPES} />
            </>
          ) : (
            <CompareValue c={c} set={set} timeField={field.objectType === 'KalturaTimeContextField'} />
          )}
        </>
      );
    }
    case 'KalturaMatchMetadataCondition':
    case 'KalturaCompareMetadataCondition':
      return (
        <>
          <div className="inline">
            <Field label="Metadata field (xPath)" value={String(c.xPath ?? '')} onChange={(v) => set({ xPath: v })} hint="e.g. /metadata/Region or Region" />
            <Field label="Metadata profile id" type="number" value={c.profileId == null ? '' : num(c.profileId)} onChange={(v) => set({ profileId: v === '' ? null : Number(v) })} />
            <Field label="Metadata profile system name" value={String(c.profileSystemName ?? '')} onChange={(v) => set({ profileSystemName: v })} />
          </div>
          {c.objectType === 'KalturaMatchMetadataCondition' ? (
            <>
              {values('Values', 'One per line.')}
              <Select label="When the field has several values" value={num(c.matchType, 1)} onChange={(v) => set({ matchType: Number(v) })} options={MATCH_TYPES} />
            </>
          ) : (
            <CompareValue c={c} set={set} timeField={false} />
          )}
        </>
      );
    case 'KalturaOrCondition':
      return <ConditionList conditions={(c.conditions as KObject[] | undefined) ?? []} onChange={(list) => set({ conditions: list })} depth={p.depth + 1} />;
    default:
      return <p className="hint">No settings.</p>;
  }
}

function CompareValue(p: { c: KObject; set: (patch: Partial<KObject>) => void; timeField: boolean }) {
  const value = p.c.value as KObject | undefined;
  const n = typeof value?.value === 'number' ? value.value : 0;
  const asDate = n > 0 ? new Date(n * 1000).toISOString().slice(0, 16) : '';
  return (
    <div className="inline">
      <Select label="Comparison" value={num(p.c.comparison, 1)} onChange={(v) => p.set({ comparison: Number(v) })} options={COMPARISONS} />
      <Field label="Number" type="number" value={String(n)} onChange={(v) => p.set({ value: { objectType: 'KalturaIntegerValue', value: Number(v) || 0 } })} hint={p.timeField ? 'Unix seconds.' : undefined} />
      {p.timeField ? (
        <Field label="or a date (UTC)" type="datetime-local" value={asDate} onChange={(v) => p.set({ value: { objectType: 'KalturaIntegerValue', value: v ? Math.floor(Date.parse(`${v}Z`) / 1000) : 0 } })} />
      ) : null}
    </div>
  );
}

function ConditionEditor(p: { c: KObject; index: number; onChange: Change<KObject>; onRemove: () => void; depth: number }) {
  const set = (patch: Partial<KObject>) => p.onChange({ ...p.c, ...patch });
  const help = CONDITIONS.find((k) => k.objectType === p.c.objectType)?.help;
  return (
    <fieldset className="cond">
      <legend>
        Condition {p.index + 1}: {labelOf(p.c.objectType)}
      </legend>
      {help ? <p className="hint">{help}</p> : null}
      <ConditionFields c={p.c} set={set} onChange={p.onChange} depth={p.depth} />
      <div className="inline">
        <Check label="Not (negate this condition)" checked={p.c.not === true} onChange={(v) => set({ not: v })} />
        <button type="button" className="danger" onClick={p.onRemove}>
          Remove condition {p.index + 1}
        </button>
      </div>
    </fieldset>
  );
}

function ConditionList(p: { conditions: KObject[]; onChange: Change<KObject[]>; depth: number }) {
  return (
    <div>
      {p.conditions.map((c, i) => (
        <ConditionEditor
          key={i}
          c={c}
          index={i}
          depth={p.depth}
          onChange={(next) => p.onChange(p.conditions.map((x, j) => (j === i ? next : x)))}
          onRemove={() => p.onChange(p.conditions.filter((_, j) => j !== i))}
        />
      ))}
      <AddPicker
        label={p.depth > 0 ? 'Inner condition' : 'Condition'}
        kinds={p.depth > 1 ? CONDITIONS.filter((k) => k.objectType !== 'KalturaOrCondition') : CONDITIONS}
        onAdd={(t) => {
          const def = CONDITIONS.find((k) => k.objectType === t);
          if (def) p.onChange([...p.conditions, def.make()]);
        }}
      />
    </div>
  );
}

function ActionEditor(p: { a: KObject; index: number; onChange: Change<KObject>; onRemove: () => void }) {
  const set = (patch: Partial<KObject>) => p.onChange({ ...p.a, ...patch });
  const a = p.a;
  let fields = null;
  switch (a.objectType) {
    case 'KalturaAccessControlPreviewAction':
      fields = <Field label="Preview length (seconds)" type="number" value={num(a.limit)} onChange={(v) => set({ limit: Number(v) || 0 })} />;
      break;
    case 'KalturaAccessControlLimitFlavorsAction':
      fields = (
        <div className="inline">
          <Field label="Flavor params ids" value={String(a.flavorParamsIds ?? '')} onChange={(v) => set({ flavorParamsIds: v })} hint="Comma-separated, e.g. 0,2,3" />
          <Check label="Block these (instead of allowing only these)" checked={a.isBlockedList === true} onChange={(v) => set({ isBlockedList: v })} />
        </div>
      );
      break;
    case 'KalturaAccessControlLimitDeliveryProfilesAction':
      fields = (
        <div className="inline">
          <Field label="Delivery profile ids" value={String(a.deliveryProfileIds ?? '')} onChange={(v) => set({ deliveryProfileIds: v })} />
          <Check label="Block these (instead of allowing only these)" checked={a.isBlockedList === true} onChange={(v) => set({ isBlockedList: v })} />
        </div>
      );
      break;
    case 'KalturaAccessControlServeRemoteEdgeServerAction':
      fields = (
        <div className="inline">
          <Field label="Edge server ids" value={String(a.edgeServerIds ?? '')} onChange={(v) => set({ edgeServerIds: v })} />
          <Check label="Seamless fallback" checked={a.seamlessFallbackEnabled === true} onChange={(v) => set({ seamlessFallbackEnabled: v })} />
        </div>
      );
      break;
  }
  return (
    <fieldset className="cond">
      <legend>
        Action {p.index + 1}: {labelOf(a.objectType)}
      </legend>
      {fields}
      <button type="button" className="danger" onClick={p.onRemove}>
        Remove action {p.index + 1}
      </button>
    </fieldset>
  );
}

function RuleCard(p: { r: KObject; index: number; count: number; onChange: Change<KObject>; onRemove: () => void; onMove: (delta: number) => void }) {
  const r = p.r;
  const set = (patch: Partial<KObject>) => p.onChange({ ...r, ...patch });
  const contexts = ((r.contexts as KObject[] | undefined) ?? []).map((h) => Number(h.type));
  const conditions = (r.conditions as KObject[] | undefined) ?? [];
  const actions = (r.actions as KObject[] | undefined) ?? [];
  const toggleContext = (n: number, on: boolean) => {
    const next = on ? [...new Set([...contexts, n])].sort() : contexts.filter((x) => x !== n);
    set({ contexts: next.map((type) => ({ objectType: 'KalturaContextTypeHolder', type })) });
  };
  return (
    <section className="rule" aria-label={`Rule ${p.index + 1}`}>
      <h3>
        Rule {p.index + 1}
        <span className="spacer" />
        <button type="button" disabled={p.index === 0} onClick={() => p.onMove(-1)}>
          Move up<span className="sr-only"> rule {p.index + 1}</span>
        </button>
        <button type="button" disabled={p.index === p.count - 1} onClick={() => p.onMove(1)}>
          Move down<span className="sr-only"> rule {p.index + 1}</span>
        </button>
        <button type="button" className="danger" onClick={p.onRemove}>
          Remove rule {p.index + 1}
        </button>
      </h3>
      <div className="grid2">
        <Field label="Description" value={String(r.description ?? '')} onChange={(v) => set({ description: v })} />
        <Field label="Message when it applies" value={String(r.message ?? '')} onChange={(v) => set({ message: v })} hint="Shown to the player, e.g. Not available in your country." />
      </div>
      <fieldset>
        <legend>Applies in contexts (none checked: every context)</legend>
        <div className="inline">
          {CONTEXTS.map(([n, , label]) => (
            <Check key={n} label={label} checked={contexts.includes(n)} onChange={(on) => toggleContext(n, on)} />
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Conditions (all must hold; none: always)</legend>
        <ConditionList conditions={conditions} onChange={(list) => set({ conditions: list })} depth={0} />
      </fieldset>
      <fieldset>
        <legend>Actions</legend>
        {actions.map((a, i) => (
          <ActionEditor key={i} a={a} index={i} onChange={(next) => set({ actions: actions.map((x, j) => (j === i ? next : x)) })} onRemove={() => set({ actions: actions.filter((_, j) => j !== i) })} />
        ))}
        <AddPicker
          label="Action"
          kinds={ACTIONS}
          onAdd={(t) => {
            const def = ACTIONS.find((k) => k.objectType === t);
            if (def) set({ actions: [...actions, def.make()] });
          }}
        />
      </fieldset>
      <div className="inline">
        <Check label="Stop processing further rules when this one applies" checked={r.stopProcessing === true} onChange={(v) => set({ stopProcessing: v })} />
        <Check label="Also apply to ADMIN sessions (force admin validation)" checked={r.forceAdminValidation === 1 || r.forceAdminValidation === true} onChange={(v) => set({ forceAdminValidation: v ? 1 : 0 })} />
        <Field label="Code (optional)" value={String(r.code ?? '')} onChange={(v) => set({ code: v })} />
      </div>
    </section>
  );
}

export function RulesEditor(p: { rules: KObject[]; onChange: Change<KObject[]> }) {
  const [json, setJson] = useState<string | null>(null);
  const [jsonError, setJsonError] = useState('');
  const move = (i: number, delta: number) => {
    const next = [...p.rules];
    const [r] = next.splice(i, 1);
    if (r) next.splice(i + delta, 0, r);
    p.onChange(next);
  };
  return (
    <div>
      <p className="hint">Rules are evaluated in order. A rule applies when it shares a context with the request and all its conditions hold; no applying rule means the viewer is allowed.</p>
      {p.rules.map((r, i) => (
        <RuleCard key={i} r={r} index={i} count={p.rules.length} onChange={(next) => p.onChange(p.rules.map((x, j) => (j === i ? next : x)))} onRemove={() => p.onChange(p.rules.filter((_, j) => j !== i))} onMove={(d) => move(i, d)} />
      ))}
      <button type="button" onClick={() => p.onChange([...p.rules, newRule()])}>
        Add rule
      </button>
      <Disclosure summary="Edit as JSON (Kaltura rule objects)">
        <div className="field">
          <label htmlFor="rules-json">Rules JSON</label>
          <textarea id="rules-json" className="mono" rows={12} value={json ?? JSON.stringify(p.rules, null, 2)} onChange={(e) => setJson(e.target.value)} />
        </div>
        {jsonError ? (
          <p className="error" role="alert">
            {jsonError}
          </p>
        ) : null}
        <button
          type="button"
          onClick={() => {
            try {
              const parsed: unknown = JSON.parse(json ?? JSON.stringify(p.rules));
              if (!Array.isArray(parsed)) throw new Error('The JSON must be an array of KalturaRule objects.');
              p.onChange(parsed as KObject[]);
              setJson(null);
              setJsonError('');
            } catch (e) {
              setJsonError(e instanceof Error ? e.message : String(e));
            }
          }}
        >
          Apply JSON
        </button>
      </Disclosure>
    </div>
  );
}
