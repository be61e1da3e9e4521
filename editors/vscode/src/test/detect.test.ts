import { test } from "node:test";
import * as assert from "node:assert/strict";
import { isDeploymentFile } from "../detect";

const template = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "resources": []
}`;
const parameters = `{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/DeploymentParameters.json#"}`;

test("templates and parameter files, by their schema", () => {
  assert.equal(isDeploymentFile("/w/main.json", template), true);
  assert.equal(isDeploymentFile("/w/main.parameters.json", parameters), true);
  assert.equal(isDeploymentFile("/w/main.JSONC", template), true);
});

test("Bicep files and parameter files, by their extension", () => {
  assert.equal(isDeploymentFile("/w/main.bicep", "param location string"), true);
  assert.equal(isDeploymentFile("/w/main.prod.bicepparam", "using './main.bicep'"), true);
  assert.equal(isDeploymentFile("/w/MAIN.BICEP", ""), true);
});

test("other JSON and other files are left alone", () => {
  assert.equal(isDeploymentFile("/w/package.json", `{"name": "x"}`), false);
  assert.equal(isDeploymentFile("/w/tsconfig.json", `{"compilerOptions": {}}`), false);
  // The schema named in text that is not the `$schema` key does not count.
  assert.equal(isDeploymentFile("/w/notes.json", `{"see": "deploymentTemplate.json"}`), false);
  assert.equal(isDeploymentFile("/w/main.bicep.txt", template), false);
  assert.equal(isDeploymentFile("/w/bicep", template), false);
});
