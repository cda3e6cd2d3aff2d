// Validates every object of a multi-document YAML stream (kubectl kustomize output) against the Kubernetes API schemas.
// Usage: node validate.mjs < objects.yaml ; prints one line per object, exits 1 when any object is invalid or unknown.
import { parseAllDocuments } from "yaml";
import { readFileSync } from "node:fs";

const text = readFileSync(0, "utf8");
let failed = 0;
for (const doc of parseAllDocuments(text)) {
  const obj = doc.toJS();
  if (!obj) continue;
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  const modulePath = `kubernetes-models/${group ? `${group}/` : ""}${version}/${obj.kind}`;
  try {
    const models = await import(modulePath);
    const Model = models[obj.kind] ?? models.default;
    new Model(obj).validate();
    console.log(`valid ${obj.kind}/${obj.metadata.name}`);
  } catch (error) {
    failed++;
    console.log(`INVALID ${obj.kind}/${obj.metadata?.name}: ${error.message}`);
  }
}
process.exit(failed ? 1 : 0);
