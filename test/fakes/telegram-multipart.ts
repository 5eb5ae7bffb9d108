/**
 * A small multipart/form-data reader for the fake Bot API. grammY writes headers like
 * `content-disposition:form-data;name="x";filename=a.jpg` (no space, unquoted file name),
 * which undici's `Request.formData()` refuses, so the fake parses the parts itself.
 */
export interface FakeUpload {
  fileName: string;
  size: number;
  bytes: Buffer;
}

export function parseMultipart(
  body: Buffer,
  contentType: string,
): Record<string, string | FakeUpload> {
  const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
  if (!boundary) throw new Error('multipart body without boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, string | FakeUpload> = {};
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break; // closing delimiter
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // A part is `\r\n<headers>\r\n\r\n<content>\r\n` between two delimiters.
    const part = body.subarray(partStart + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const fileName = /filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(headers);
    if (name !== undefined) {
      fields[name] = fileName
        ? {
            fileName: fileName[1] ?? fileName[2] ?? '',
            size: content.length,
            bytes: Buffer.from(content),
          }
        : content.toString('utf8');
    }
    start = next;
  }
  return fields;
}
