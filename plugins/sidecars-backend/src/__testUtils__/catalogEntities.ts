import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  type Entity,
} from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  parseEntityYaml,
} from '@backstage/plugin-catalog-node';
import { REPO_ROOT } from '@internal/dev-stack/stack/binaries';

const LOCATION = 'url:https://sidecars.test/entities.yaml';

/** The demo users and their groups, as the portal's catalog reads them from catalog/demo-fleet.yaml. */
export function demoPeople(): Entity[] {
  const path = join(REPO_ROOT, 'catalog/demo-fleet.yaml');
  const entities: Entity[] = [];
  for (const result of parseEntityYaml(readFileSync(path), {
    type: 'file',
    target: path,
  })) {
    if (result.type !== 'entity')
      throw new Error(`${path} does not parse: ${JSON.stringify(result)}`);
    if (result.entity.kind === 'User' || result.entity.kind === 'Group')
      entities.push(result.entity);
  }
  return entities;
}

/** Hands a test's entities to the real catalog, which processes and stitches them (ownership relations included) like any other. */
export function catalogEntitiesModule(entities: readonly Entity[]) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'sidecars-test-entities',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'sidecars-test-entities',
            connect: connection =>
              connection.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  locationKey: 'sidecars-test-entities',
                  entity: {
                    ...entity,
                    metadata: {
                      ...entity.metadata,
                      annotations: {
                        ...entity.metadata.annotations,
                        [ANNOTATION_LOCATION]: LOCATION,
                        [ANNOTATION_ORIGIN_LOCATION]: LOCATION,
                      },
                    },
                  },
                })),
              }),
          });
        },
      });
    },
  });
}
