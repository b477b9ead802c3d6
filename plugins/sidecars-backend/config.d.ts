export interface Config {
  /** Settings of the Sidecar Campaigns backend plugin. */
  sidecars?: {
    temporal?: {
      /** host:port of the Temporal frontend, e.g. localhost:7233. */
      address?: string;
      /** Temporal namespace the campaigns run in. Default "default". */
      namespace?: string;
      /** Task queue the campaign workers poll. Default "sidecar-campaigns". */
      taskQueue?: string;
      /** Base URL of the Temporal Web UI, for links to a campaign's workflow. */
      webUiUrl?: string;
      /** TLS for a Temporal cluster (mTLS with certFile + keyFile; caFile for a private CA). */
      tls?: {
        caFile?: string;
        certFile?: string;
        keyFile?: string;
        /** Overrides the server name checked against the certificate. */
        serverName?: string;
      };
      /**
       * API key for Temporal Cloud.
       * @visibility secret
       */
      apiKey?: string;
    };
    /** The Kubernetes clusters whose pods the plugin inventories and plans over; names must match the workers' cluster names. */
    clusters?: Array<{
      name: string;
      /** API server URL; required for authProvider serviceAccount. */
      url?: string;
      /** How to authenticate: a service-account token, a kubeconfig file, or the pod's in-cluster credentials. */
      authProvider: 'serviceAccount' | 'kubeconfig' | 'inCluster';
      /**
       * Bearer token for authProvider serviceAccount.
       * @visibility secret
       */
      serviceAccountToken?: string;
      /** Kubeconfig file for authProvider kubeconfig (relative paths resolve against the working directory); without it, KUBECONFIG or ~/.kube/config. */
      kubeconfigPath?: string;
      /** Context of the kubeconfig to use; default its current context. */
      context?: string;
      /** PEM CA bundle, base64-encoded, for authProvider serviceAccount. */
      caData?: string;
      /** PEM CA bundle file, for authProvider serviceAccount. */
      caFile?: string;
      skipTLSVerify?: boolean;
    }>;
    /** The group the local stack's sample permission policy gives the fleet permission to. Default group:default/platform-team. */
    platformGroup?: string;
    /** Request timeout towards each cluster, in milliseconds. Default 5000. */
    clusterTimeoutMs?: number;
    /** How long the fleet view caches a cluster-wide pod list, in seconds, for a cluster its watch cache does not serve. Default 30. */
    fleetCacheSeconds?: number;
    /** Where the inventory and the fleet view read pods from. */
    inventory?: {
      /**
       * Keep each cluster's pods (and ReplicaSets, StatefulSets, DaemonSets) in a cache kept current
       * by a watch, and answer from it; false lists pods from the API server on every request.
       * Needs list and watch on those resources. Default true.
       */
      watch?: boolean;
      /** How long a cluster whose watch fails is still served from its cache before it is listed directly instead, in seconds. Default 10. */
      watchGraceSeconds?: number;
    };
    /**
     * Container names that count as sidecars wherever they appear, in addition to native sidecars
     * (init containers with restartPolicy Always) and containers absent from the owning pod template (injected).
     */
    knownSidecars?: string[];
    /**
     * Live updates and owner notifications. The backend lists the open and recently closed
     * campaigns in Temporal visibility every `intervalMs`, publishes a Backstage signal for each
     * campaign whose phase or recorded status changed, and notifies the owners of the entities it
     * touches through Backstage Notifications.
     */
    changeFeed?: {
      /** Pause between two lists, in milliseconds. Default 1000; 0 turns live updates and notifications off. */
      intervalMs?: number;
      /** Notify the owners of the entities a campaign touches. Default true. */
      notifyOwners?: boolean;
    };
    /**
     * Change freezes: while one is on, no campaign in its scope starts a new batch (or rolling
     * window); campaigns wait, show "frozen until <end> (<name>)" and resume on their own when it
     * ends. A start whose first batch would fall inside a freeze is refused. Checked at startup.
     */
    freezes?: Array<{
      /** Unique; campaigns and the plan preview report it. */
      name: string;
      /** ISO 8601 instant with an offset, e.g. "2026-12-20T00:00:00Z" (quoted in YAML). */
      start: string;
      /** ISO 8601 instant with an offset, after start; the freeze covers [start, end). */
      end: string;
      /** The clusters it covers (configured cluster names); default all. */
      clusters?: string[];
      /** The namespaces it covers; default all. A campaign that selects any of them (or all namespaces) is held. */
      namespaces?: string[];
    }>;
    /** Campaign spec defaults merged under every submitted spec, e.g. { strategy: { maxUnavailable: '10%' } }. */
    campaignDefaults?: {
      mode?: 'in-place' | 'workload';
      strategy?: {
        maxUnavailable?: number | string;
        bakeSeconds?: number;
        healthTimeoutSeconds?: number;
        failureBudget?: number | string;
        onFailure?: 'rollback' | 'pause';
        rollbackWindowSeconds?: number;
      };
    };
  };
}
