/**
 * A validator's uploads of its outputs: the API issues upload credentials for one named output of one
 * judged epoch, and only inside that output's window (evidence until the evidence deadline, the report
 * until the validation window closes), so each key gets its own uploader and credentials.
 * @module
 */
import { parseObjectKey } from "../../s3_keys.ts";
import { createUploader, type PostCredentials, type UploaderDeps } from "./presigned_post.ts";

/** What the uploads need: the API call for one output's credentials, and the uploader's I/O. */
export interface ValidatorUploadsDeps extends Omit<UploaderDeps, "getCredentials"> {
  hotkey: string;
  credentials: (epochId: string, file: string) => Promise<PostCredentials>;
}

const MAX_UPLOADERS = 32;

/** Creates `upload(key, bytes, deadlineMs)` for the validator's own output keys. */
export function createValidatorUploads(deps: ValidatorUploadsDeps) {
  const uploaders = new Map<string, ReturnType<typeof createUploader>>();
  return function upload(key: string, bytes: Uint8Array, deadlineMs: number): Promise<void> {
    const parsed = parseObjectKey(key, { hotkey: deps.hotkey });
    if (parsed.kind !== "validatorFile") throw new RangeError(`Not a validator output key: ${key}`);
    let uploader = uploaders.get(key);
    if (!uploader) {
      if (uploaders.size >= MAX_UPLOADERS) uploaders.clear();
      uploader = createUploader({
        ...deps,
        getCredentials: () => deps.credentials(parsed.epochId, parsed.path),
      });
      uploaders.set(key, uploader);
    }
    return uploader.upload(key, bytes, deadlineMs);
  };
}
