/** The API group of every Taskyard resource. */
export const API_GROUP = 'taskyard.dev';
/** The one served and stored version. */
export const API_VERSION = 'v1alpha1';
/** `apiVersion` of every Taskyard object: `taskyard.dev/v1alpha1`. */
export const API_GROUP_VERSION = `${API_GROUP}/${API_VERSION}` as const;
