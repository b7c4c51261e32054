import type { ObjectType } from '../../core/auth/index.js';
import { KeelError } from '../../core/errors.js';

/**
 * The error for an object the caller may not read: word for word what a missing one gets (the
 * tracking store's messages for experiments), so that neither the status nor the text tells them
 * apart.
 */
export function objectNotFound(type: ObjectType, id: string): KeelError {
  switch (type) {
    case 'experiment':
      return new KeelError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${id} exists`);
    case 'registered_model':
      return new KeelError('RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${id} not found`);
    case 'dataset':
      return new KeelError('RESOURCE_DOES_NOT_EXIST', `Dataset '${id}' not found`);
  }
}

export function workspaceNotFound(name: string): KeelError {
  return new KeelError('RESOURCE_DOES_NOT_EXIST', `Workspace '${name}' not found`);
}
