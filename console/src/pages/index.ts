/** Every page of the two views, in navigation order. */
import type { ComponentType } from 'react';
import { AuditPage } from './audit';
import { PartnersPage } from './operator/partners';
import { ApiKeysPage } from './partner/api-keys';
import { CategoriesPage } from './partner/categories';
import { CATEGORY_READ } from './partner/category-form';
import { AppTokensPage } from './partner/app-tokens';
import { ConsumersPage } from './partner/consumers';
import { EntriesPage } from './partner/entries';
import { ProfilesPage } from './partner/profiles';
import { ServicesPage } from './partner/services';
import { SimulatorPage } from './partner/simulator';
import { UsersPage } from './partner/users';
import { IdentityProvidersPage } from './partner/identity-providers';
import { AccountPage } from './account';

export interface PageDef {
  view: 'operator' | 'partner';
  path: string;
  title: string;
  Component: ComponentType<{ path: string }>;
  /** Paths below `path` handled by the same page (detail views). */
  match?: RegExp;
  hidden?: boolean;
  /** In the navigation only for callers holding one of these (the page's list route's guard). */
  permissions?: string[];
}

export const PAGES: PageDef[] = [
  { view: 'operator', path: '/operator/partners', title: 'Partners (publishers)', Component: PartnersPage },
  { view: 'operator', path: '/operator/users', title: 'Operator users', Component: UsersPage },
  { view: 'operator', path: '/audit', title: 'Audit log', Component: AuditPage },
  { view: 'operator', path: '/account', title: 'My account', Component: AccountPage },
  { view: 'operator', path: '/two-factor', title: 'My account', Component: AccountPage, hidden: true },
  { view: 'partner', path: '/users', title: 'Users and roles', Component: UsersPage },
  { view: 'partner', path: '/app-tokens', title: 'App tokens', Component: AppTokensPage },
  { view: 'partner', path: '/api-keys', title: 'API keys', Component: ApiKeysPage },
  { view: 'partner', path: '/consumers', title: 'Consumers', Component: ConsumersPage },
  { view: 'partner', path: '/services', title: 'Services', Component: ServicesPage },
  { view: 'partner', path: '/profiles', title: 'Access control', Component: ProfilesPage, match: /^\/profiles(\/\d+)?$/ },
  { view: 'partner', path: '/simulator', title: 'Simulator', Component: SimulatorPage },
  { view: 'partner', path: '/entries', title: 'Entries', Component: EntriesPage },
  { view: 'partner', path: '/categories', title: 'Categories', Component: CategoriesPage, match: /^\/categories(\/\d+)?$/, permissions: CATEGORY_READ },
  { view: 'partner', path: '/identity-providers', title: 'Single sign-on', Component: IdentityProvidersPage, permissions: ['SSO_MANAGE'] },
  { view: 'partner', path: '/audit', title: 'Audit log', Component: AuditPage },
  { view: 'partner', path: '/account', title: 'My account', Component: AccountPage },
  { view: 'partner', path: '/two-factor', title: 'My account', Component: AccountPage, hidden: true },
];

/** Every signed-in person's own page, reachable even from an account that cannot use the rest of the console. */
export const ACCOUNT_PAGE: PageDef = { view: 'partner', path: '/account', title: 'My account', Component: AccountPage };
