// Which lifecycle a channel runs, from its application capabilities.

/**
 * Fabric's LifecycleV20 (and V2_0Validation): the application capability V2_0, or V2_5 which implies
 * it. Such a channel runs `_lifecycle`, and lscc is read-only there.
 */
export function lifecycleV20(capabilities: { readonly application: readonly string[] }): boolean {
  return capabilities.application.some((c) => c === 'V2_0' || c === 'V2_5');
}
