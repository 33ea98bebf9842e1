/** Users of the signed-in partner (operators: the operator users): create, role, block, password. */
import { useState, type FormEvent } from 'react';
import { ApiError, getPage, send } from '../../api/client';
import type { Role, User } from '../../api/types';
import { Check, ConfirmButton, Disclosure, ErrorText, Field, Loading, Notice, Pager, PageTitle, Select, useLoad, useSubmit, when } from '../../components/ui';
import { useMe } from '../../session';
import { MultiSelect, permissionOptions, usePermissionCatalogue } from './api-keys';

const PAGE_SIZE = 25;

export function useRoles() {
  return useLoad(async () => {
    try {
      return (await getPage<Role>('/roles')).data;
    } catch (e) {
      if (e instanceof ApiError && e.missingRoute) return null; // roles not on this server yet
      throw e;
    }
  }, []);
}

export function UsersPage() {
  const me = useMe();
  const operator = me.partner.kind === 'operator';
  const [pageIndex, setPageIndex] = useState(1);
  const [search, setSearch] = useState('');
  const [applied, setApplied] = useState('');
  const [done, setDone] = useState('');
  const list = useLoad(() => getPage<User>('/users', { search: applied, pageIndex, pageSize: PAGE_SIZE }), [applied, pageIndex]);
  const roles = useRoles();
  const roleName = (id: number | null) => (id === null ? '—' : (roles.data?.find((r) => r.id === id)?.name ?? `role ${id}`));

  return (
    <>
      <PageTitle
        intro={
          operator
            ? 'People who run this Gatehouse (the admin-console partner). To give someone a publisher to manage, create a publisher on the Partners page instead.'
            : `People of ${me.partner.name}. Admins sign in to this console; other users sign in to players and apps only.`
        }
      >
        {operator ? 'Operator users' : 'Users and roles'}
      </PageTitle>
      {done ? <Notice>{done}</Notice> : null}
      <AddUser roles={roles.data ?? null} onCreated={(u) => { setDone(`User ${u.id} created.`); list.reload(); }} />
      {roles.data === null ? <Notice>Roles cannot be listed on this server yet (GET /api/roles is missing): role names show as ids.</Notice> : null}

      <section aria-labelledby="users-list">
        <h2 id="users-list">Users</h2>
        <form className="filters" onSubmit={(e) => { e.preventDefault(); setPageIndex(1); setApplied(search.trim()); }}>
          <Field label="Search by id or screen name" value={search} onChange={setSearch} />
          <button type="submit">Search</button>
        </form>
        <ErrorText error={list.error} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data ? (
          <>
            <table>
              <caption className="sr-only">Users</caption>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Role</th>
                  <th scope="col">Admin</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((u) => (
                  <tr key={u.id}>
                    <td>
                      {u.screenName || u.id}
                      <div className="hint">
                        {u.id}
                        {u.email && u.email !== u.id ? ` · ${u.email}` : ''}
                        {u.isAccountOwner ? ' · account owner' : ''}
                        {u.isSsoExcluded ? ' · excluded from single sign-on' : ''}
                      </div>
                    </td>
                    <td>{roleName(u.roleId)}</td>
                    <td>{u.isAdmin ? 'yes' : 'no'}</td>
                    <td>
                      <span className={`badge ${u.status}`}>{u.status}</span>
                    </td>
                    <td>{when(u.lastLoginAt)}</td>
                    <td className="row-actions">
                      <UserActions u={u} roles={roles.data ?? null} self={u.id === me.user.id} operator={operator} onChanged={(msg) => { setDone(msg); list.reload(); }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager label="Users" pageIndex={pageIndex} pageSize={PAGE_SIZE} total={list.data.totalCount} onPage={setPageIndex} />
          </>
        ) : null}
      </section>
      {!operator && roles.data ? <RolesSection roles={roles.data} onChanged={roles.reload} /> : null}
    </>
  );
}

function roleOptions(roles: Role[] | null): Array<[string, string]> {
  return [['', 'No role'], ...(roles ?? []).map((r): [string, string] => [String(r.id), r.builtIn ? `${r.name} (built-in)` : r.name])];
}

function UserActions(props: { u: User; roles: Role[] | null; self: boolean; operator: boolean; onChanged: (msg: string) => void }) {
  const { u } = props;
  const [roleId, setRoleId] = useState(u.roleId === null ? '' : String(u.roleId));
  const [password, setPassword] = useState('');
  const [ssoExcluded, setSsoExcluded] = useState(u.isSsoExcluded);
  const blocked = u.status === 'blocked';
  return (
    <>
      <ConfirmButton
        label="Role"
        what={u.id}
        title={`Role of ${u.screenName || u.id}`}
        confirmLabel="Save role"
        onConfirm={async () => {
          await send('PATCH', `/users/${encodeURIComponent(u.id)}`, { roleId: roleId === '' ? null : Number(roleId) });
          props.onChanged(`Role of ${u.id} saved.`);
        }}
      >
        {props.roles ? (
          <Select label="Role" value={roleId} onChange={setRoleId} options={roleOptions(props.roles)} hint="The role decides what the user may do. You can only give roles whose permissions you hold." />
        ) : (
          <Field label="Role id" value={roleId} onChange={setRoleId} hint="Empty removes the role." />
        )}
      </ConfirmButton>
      {u.loginEnabled ? (
        <ConfirmButton
          label="Reset password"
          what={u.id}
          title={`New password for ${u.screenName || u.id}`}
          confirmLabel="Set password"
          onConfirm={async () => {
            await send('POST', `/users/${encodeURIComponent(u.id)}/password`, { password });
            setPassword('');
            props.onChanged(`Password of ${u.id} changed; any lockout was cleared.`);
          }}
        >
          <Field label="New password" type="password" value={password} onChange={setPassword} autoComplete="new-password" hint="At least 8 characters, not containing the user's name or email." />
        </ConfirmButton>
      ) : null}
      {props.operator ? null : (
        // Kaltura's isSsoExcluded: the partner's blockDirectLogin (set by the operator) lets this user keep signing in with a password.
        <ConfirmButton
          label="Single sign-on"
          what={u.id}
          title={`Single sign-on for ${u.screenName || u.id}`}
          confirmLabel="Save"
          onConfirm={async () => {
            await send('PATCH', `/users/${encodeURIComponent(u.id)}`, { isSsoExcluded: ssoExcluded });
            props.onChanged(ssoExcluded ? `${u.id} may sign in with a password even when direct sign-in is blocked.` : `${u.id} signs in through single sign-on when direct sign-in is blocked.`);
          }}
        >
          <Check
            label="Excluded from single sign-on (may use a password)"
            checked={ssoExcluded}
            onChange={setSsoExcluded}
            hint="When the operator blocks direct sign-in for this partner, everyone else must sign in through your identity provider. Keep this for a break-glass administrator or a script's login."
          />
        </ConfirmButton>
      )}
      {props.self ? null : (
        <ConfirmButton
          label={blocked ? 'Unblock' : 'Block'}
          what={u.id}
          title={blocked ? `Unblock ${u.id}?` : `Block ${u.id}?`}
          confirmLabel={blocked ? 'Unblock' : 'Block user'}
          danger={!blocked}
          onConfirm={async () => {
            await send('PATCH', `/users/${encodeURIComponent(u.id)}`, { status: blocked ? 'active' : 'blocked' });
            props.onChanged(blocked ? `${u.id} unblocked.` : `${u.id} blocked.`);
          }}
        >
          <p>{blocked ? 'The user can sign in again.' : 'The user is refused at once, and every session they hold stops working.'}</p>
        </ConfirmButton>
      )}
    </>
  );
}

function AddUser(props: { roles: Role[] | null; onCreated: (u: User) => void }) {
  const [f, setF] = useState({ id: '', email: '', firstName: '', lastName: '', password: '', roleId: '', isAdmin: false });
  const set = (k: keyof typeof f) => (v: string | boolean) => setF((s) => ({ ...s, [k]: v }));
  const { busy, error, run } = useSubmit();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const body: Record<string, unknown> = { id: f.id.trim() || f.email.trim(), isAdmin: f.isAdmin };
      for (const k of ['email', 'firstName', 'lastName'] as const) if (f[k].trim()) body[k] = f[k].trim();
      if (f.password) body.password = f.password;
      if (f.roleId) body.roleId = Number(f.roleId);
      const u = await send<User>('POST', '/users', body);
      setF({ id: '', email: '', firstName: '', lastName: '', password: '', roleId: '', isAdmin: false });
      props.onCreated(u);
    });
  };
  return (
    <Disclosure summary="Add a user">
      <form onSubmit={submit} aria-label="Add a user">
        <div className="grid2">
          <Field label="Email" type="email" value={f.email} onChange={set('email')} hint="Also the login id when you set a password." />
          <Field label="User id" value={f.id} onChange={set('id')} hint="Default: the email." />
          <Field label="First name" value={f.firstName} onChange={set('firstName')} />
          <Field label="Last name" value={f.lastName} onChange={set('lastName')} />
          <Field label="Password" type="password" value={f.password} onChange={set('password')} autoComplete="new-password" hint="Optional: gives the user a login." />
          {props.roles ? <Select label="Role" value={f.roleId} onChange={set('roleId')} options={roleOptions(props.roles)} /> : <Field label="Role id" value={f.roleId} onChange={set('roleId')} />}
        </div>
        <Check label="Admin (may sign in to this console)" checked={f.isAdmin} onChange={set('isAdmin')} />
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Create user
        </button>
      </form>
    </Disclosure>
  );
}

function RolesSection(props: { roles: Role[]; onChanged: () => void }) {
  return (
    <section aria-labelledby="roles-list">
      <h2 id="roles-list">Roles</h2>
      <AddRole onCreated={props.onChanged} />
      <table>
        <caption className="sr-only">Roles</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Permissions</th>
            <th scope="col">Kind</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.roles.map((r) => (
            <tr key={r.id}>
              <td>
                {r.name}
                <div className="hint">
                  id {r.id}
                  {r.systemName ? ` · ${r.systemName}` : ''}
                </div>
              </td>
              <td className="perms">{r.permissions.join(', ') || '—'}</td>
              <td>{r.builtIn ? 'built-in' : 'this partner'}</td>
              <td className="row-actions">
                {r.builtIn ? null : <EditRole role={r} onSaved={props.onChanged} />}
                {r.builtIn ? null : (
                  <ConfirmButton
                    label="Delete"
                    what={r.name}
                    danger
                    title={`Delete role ${r.name}?`}
                    confirmLabel="Delete role"
                    onConfirm={async () => {
                      await send('DELETE', `/roles/${r.id}`);
                      props.onChanged();
                    }}
                  >
                    <p>Users holding this role lose its permissions.</p>
                  </ConfirmButton>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function EditRole(props: { role: Role; onSaved: () => void }) {
  const [permissions, setPermissions] = useState<string[]>(props.role.permissions);
  const [description, setDescription] = useState(props.role.description);
  const catalogue = usePermissionCatalogue();
  return (
    <ConfirmButton
      label="Edit"
      what={props.role.name}
      title={`Permissions of ${props.role.name}`}
      confirmLabel="Save role"
      onConfirm={async () => {
        await send('PATCH', `/roles/${props.role.id}`, { permissions, description });
        props.onSaved();
      }}
    >
      <Field label="Description" value={description} onChange={setDescription} />
      <MultiSelect label="Permissions" value={permissions} onChange={setPermissions} options={permissionOptions(catalogue.data)} hint="Users holding this role get exactly these permissions." />
    </ConfirmButton>
  );
}

function AddRole(props: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const catalogue = usePermissionCatalogue();
  const { busy, error, run } = useSubmit();
  return (
    <Disclosure summary="Add a role">
      <form
        aria-label="Add a role"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await send('POST', '/roles', { name: name.trim(), permissions, ...(description.trim() ? { description: description.trim() } : {}) });
            setName('');
            setPermissions([]);
            setDescription('');
            props.onCreated();
          });
        }}
      >
        <div className="grid2">
          <Field label="Role name" value={name} onChange={setName} required />
          <Field label="Description" value={description} onChange={setDescription} />
        </div>
        <MultiSelect label="Permissions" value={permissions} onChange={setPermissions} options={permissionOptions(catalogue.data)} hint="Ctrl/Shift-click (or Space with arrows) to pick several. You can only grant permissions you hold." />
        <ErrorText error={catalogue.error} />
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Create role
        </button>
      </form>
    </Disclosure>
  );
}
