export * from '../db/client';
export * from './keys';
export * from './app-key-repository';
export * from './user-repository';
export * from './organization-repository';
export * from './organization-view';
export { newId } from '../ids';

import { newId } from '../ids';
export const newOrganizationId = (): string => newId('org');
export const newUserId = (): string => newId('usr');
export { nowIso } from '../clock';
