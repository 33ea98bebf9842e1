/** Every page of the two views, in navigation order. */
import type { ComponentType } from 'react';
import { PartnersPage } from './operator/partners';
import { UsersPage } from './partner/users';

export interface PageDef {
  view: 'operator' | 'partner';
  path: string;
  title: string;
  Component: ComponentType<{ path: string }>;
  /** Paths below `path` handled by the same page (detail views). */
  match?: RegExp;
  hidden?: boolean;
}

export const PAGES: PageDef[] = [
  { view: 'operator', path: '/operator/partners', title: 'Partners (publishers)', Component: PartnersPage },
  { view: 'operator', path: '/operator/users', title: 'Operator users', Component: UsersPage },
  { view: 'partner', path: '/users', title: 'Users', Component: UsersPage },
];
