import { z } from 'zod';

/**
 * A Kubernetes object name (RFC 1123 subdomain): lower-case alphanumerics, `-` and `.`,
 * starting and ending alphanumeric, at most 253 characters. TaskQueue, ConfigMap and Secret
 * names have this form.
 */
export const kubeNameSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    message: 'must be a Kubernetes name: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit',
  });
