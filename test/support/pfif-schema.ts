/**
 * Validates a document against the PFIF 1.4 XML Schema (test/support/pfif-1.4.xsd) with
 * libxml2's validator compiled to WebAssembly (xmllint-wasm): nothing native, nothing downloaded.
 */
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';

const schema = readFileSync(new URL('./pfif-1.4.xsd', import.meta.url), 'utf8');

export async function pfifSchemaErrors(xml: string | Buffer): Promise<string[]> {
  const r = await validateXML({
    xml: [{ fileName: 'export.xml', contents: typeof xml === 'string' ? xml : xml.toString('utf8') }],
    schema: [{ fileName: 'pfif-1.4.xsd', contents: schema }],
  });
  return r.valid ? [] : r.errors.map((e) => e.message);
}
