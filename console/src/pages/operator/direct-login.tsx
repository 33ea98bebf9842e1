/** Kaltura's blockDirectLogin, set in its admin console: the operator's to set for a publisher. */
import { useState, type FormEvent } from 'react';
import { send } from '../../api/client';
import type { FullPartner } from '../../api/types';
import { Check, ErrorText, useSubmit } from '../../components/ui';

export function DirectLoginForm(props: { partner: FullPartner; onSaved: () => void }) {
  const [blocked, setBlocked] = useState(props.partner.settings.blockDirectLogin);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void run(async () => {
      await send('PATCH', `/partners/${props.partner.id}`, { settings: { blockDirectLogin: blocked } });
      setSaved(true);
      props.onSaved();
    });
  };
  return (
    <form onSubmit={submit} aria-label={`Sign-in of ${props.partner.name}`}>
      <h3>Sign-in</h3>
      <Check
        label="Single sign-on only (block direct login)"
        checked={blocked}
        onChange={setBlocked}
        hint="Password sign-ins of this publisher's users are refused (DIRECT_LOGIN_BLOCKED), except users marked isSsoExcluded; they sign in through the publisher's identity provider. Register one first."
      />
      <ErrorText error={error} />
      {saved ? <p role="status">Sign-in setting saved.</p> : null}
      <button type="submit" disabled={busy}>
        Save sign-in setting
      </button>
    </form>
  );
}
