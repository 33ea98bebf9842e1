/**
 * A publisher's on/off settings that Kaltura keeps in its admin console, so the operator's to set:
 * one form per setting, each saved with PATCH /api/partners/{id} {settings: {<key>: on}}.
 */
import { useState, type FormEvent } from 'react';
import { send } from '../../api/client';
import type { FullPartner } from '../../api/types';
import { Check, ErrorText, useSubmit } from '../../components/ui';

type SwitchKey = 'defaultEntitlementEnforcement' | 'blockDirectLogin';

interface SwitchDef {
  key: SwitchKey;
  title: string;
  label: string;
  hint: string;
}

const SWITCHES: readonly SwitchDef[] = [
  {
    key: 'defaultEntitlementEnforcement',
    title: 'Entitlement',
    label: 'Enforce entitlement by default',
    hint: 'Every session of this publisher then sees only the entries its categories entitle it to (privacy, privacy context, members), unless the session carries disableentitlement. Off: only sessions with enableentitlement.',
  },
  {
    key: 'blockDirectLogin',
    title: 'Sign-in',
    label: 'Single sign-on only (block direct login)',
    hint: "Password sign-ins of this publisher's users are refused (DIRECT_LOGIN_BLOCKED), except users marked isSsoExcluded; they sign in through the publisher's identity provider. Register one first.",
  },
];

function SwitchForm(props: { def: SwitchDef; partner: FullPartner; onSaved: () => void }) {
  const { def, partner } = props;
  const [on, setOn] = useState(partner.settings[def.key]);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void run(async () => {
      await send('PATCH', `/partners/${partner.id}`, { settings: { [def.key]: on } });
      setSaved(true);
      props.onSaved();
    });
  };
  return (
    <form onSubmit={submit} aria-label={`${def.title} of ${partner.name}`}>
      <h3>{def.title}</h3>
      <Check label={def.label} checked={on} onChange={setOn} hint={def.hint} />
      <ErrorText error={error} />
      {saved ? <p role="status">{def.title} setting saved.</p> : null}
      <button type="submit" disabled={busy}>
        Save {def.title.toLowerCase()} setting
      </button>
    </form>
  );
}

export function PartnerSwitches(props: { partner: FullPartner; onSaved: () => void }) {
  return (
    <>
      {SWITCHES.map((def) => (
        <SwitchForm key={def.key} def={def} partner={props.partner} onSaved={props.onSaved} />
      ))}
    </>
  );
}
