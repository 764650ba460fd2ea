import type { ChangedFiles } from './changed-files.js';
import {
  commitExpectations,
  type ExpectedContent,
  MAX_VERIFIED_BYTES,
  manifestExpectations,
  STATUS_ONLY,
} from './expected-content.js';

/**
 * What `verify` compares the edge with: the content manifests' hashes, the changed files at the compared commits, or
 * without changed files (or without a comparison) every URL by status.
 */
export function deployedContent(changed: ChangedFiles | undefined): ExpectedContent {
  if (changed?.manifest) {
    const { files } = changed.mapping;
    return manifestExpectations(files, changed.manifest, changed.previousManifest, MAX_VERIFIED_BYTES);
  }
  if (!changed?.comparison || !changed.versions) return STATUS_ONLY;
  return commitExpectations(changed.mapping.files, changed.comparison, changed.versions, MAX_VERIFIED_BYTES);
}
