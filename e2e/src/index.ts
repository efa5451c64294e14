export { testCluster, type TestCluster } from "./test-cluster.js";
export { runCommand, type CommandResult, type RunOptions } from "./run-command.js";
export { kubectl, tryKubectl } from "./kubectl.js";
export { waitUntil, type WaitOptions } from "./wait-until.js";
export { createTestNamespace, type TestNamespace } from "./test-namespace.js";
export { buildTestImage } from "./build-test-image.js";
