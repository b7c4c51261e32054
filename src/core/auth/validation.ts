import type { AuditStamp } from '../audit/index.js';
import { KeelError } from '../errors.js';
import type { Caller } from './access-policy.js';
import { objectTypes, permissions, roles, type ObjectType, type Permission, type Role } from './entities.js';

const usernamePattern = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;
const groupNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const workspacePattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f]/;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;
export const DISPLAY_NAME_MAX_LENGTH = 256;
export const DESCRIPTION_MAX_LENGTH = 1000;
export const TOKEN_NAME_MAX_LENGTH = 128;

function invalid(message: string): KeelError {
  return new KeelError('INVALID_PARAMETER_VALUE', message);
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 64 ? `${text.slice(0, 64)}...` : text;
}

/** 1 to 128 of letters, digits and `._@+-`, starting with a letter or digit (so an email works). */
export function validateUsername(value: unknown, field = 'username'): string {
  if (typeof value !== 'string' || !usernamePattern.test(value)) {
    throw invalid(
      `Invalid ${field} '${shown(value)}': use 1 to 128 letters, digits or the characters . _ @ + -, starting with a letter or digit.`,
    );
  }
  return value;
}

/** 12 to 1,024 characters; anything else about it is the user's choice. */
export function validatePassword(value: unknown, field = 'password'): string {
  if (typeof value !== 'string' || value.length < PASSWORD_MIN_LENGTH) {
    throw invalid(`The ${field} must be at least ${PASSWORD_MIN_LENGTH} characters long.`);
  }
  if (value.length > PASSWORD_MAX_LENGTH) {
    throw invalid(`The ${field} must be at most ${PASSWORD_MAX_LENGTH} characters long.`);
  }
  return value;
}

function validateText(value: unknown, field: string, max: number): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string' || value.length > max || controlCharacters.test(value)) {
    throw invalid(`Invalid ${field}: use at most ${max} characters, without control characters.`);
  }
  return value;
}

export function validateDisplayName(value: unknown): string {
  return validateText(value, 'display_name', DISPLAY_NAME_MAX_LENGTH);
}

export function validateDescription(value: unknown): string {
  return validateText(value, 'description', DESCRIPTION_MAX_LENGTH);
}

export function validateTokenName(value: unknown): string {
  const name = validateText(value, 'token name', TOKEN_NAME_MAX_LENGTH);
  if (name.trim() === '')
    throw invalid('A token needs a name that says what it is for (1 to 128 characters).');
  return name;
}

export function validateGroupName(value: unknown): string {
  if (typeof value !== 'string' || !groupNamePattern.test(value)) {
    throw invalid(
      `Invalid group name '${shown(value)}': use 1 to 64 letters, digits or the characters . _ -, starting with a letter or digit.`,
    );
  }
  return value;
}

/** A workspace name is its id: 1 to 63 lowercase letters, digits and inner `-` (a DNS label). */
export function validateWorkspaceName(value: unknown, field = 'workspace'): string {
  if (typeof value !== 'string' || !workspacePattern.test(value)) {
    throw invalid(
      `Invalid ${field} '${shown(value)}': use 1 to 63 lowercase letters, digits or inner '-' (like a DNS label).`,
    );
  }
  return value;
}

export function parseRole(value: unknown): Role {
  const role = typeof value === 'string' ? value.toLowerCase() : value;
  if (typeof role !== 'string' || !(roles as readonly string[]).includes(role)) {
    throw invalid(`Invalid role '${shown(value)}': use one of ${roles.join(', ')}.`);
  }
  return role as Role;
}

export function parsePermission(value: unknown): Permission {
  const permission = typeof value === 'string' ? value.toUpperCase() : value;
  if (typeof permission !== 'string' || !(permissions as readonly string[]).includes(permission)) {
    throw invalid(`Invalid permission '${shown(value)}': use one of ${permissions.join(', ')}.`);
  }
  return permission as Permission;
}

export function parseObjectType(value: unknown): ObjectType {
  if (typeof value !== 'string' || !(objectTypes as readonly string[]).includes(value)) {
    throw invalid(`Invalid object type '${shown(value)}': use one of ${objectTypes.join(', ')}.`);
  }
  return value as ObjectType;
}

/** Who the audit trail names for a change made by `caller`. */
export function auditStamp(caller: Caller): AuditStamp {
  return {
    actorId: caller.user?.userId ?? null,
    actorName: caller.user?.username ?? 'anonymous',
    requestId: caller.requestId,
    ip: caller.ip,
  };
}
