import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  DialogActions,
  DialogContent,
  Divider,
  Typography,
} from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import type {
  CampaignSummary,
  FieldError,
  PlanResponse,
} from '@internal/plugin-sidecars-common';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { SidecarsApiError, sidecarsApiRef } from '../../api';
import { useFleet } from '../../hooks/useFleet';
import { AnalysisSection } from './AnalysisSection';
import { CanarySection } from './CanarySection';
import {
  type CampaignFormPatch,
  type CampaignFormValues,
  initialCampaignFormValues,
  placeFieldErrors,
  toCampaignSpec,
} from './formModel';
import { PlanPreview } from './PlanPreview';
import { ScheduleSection } from './ScheduleSection';
import { SelectorSection } from './SelectorSection';
import { StrategySection } from './StrategySection';
import { TargetSection } from './TargetSection';
import { WavesSection } from './WavesSection';

export interface CampaignFormProps {
  prefill?: Partial<CampaignFormValues>;
  /** The container is given by where the form was opened from (an inventory row). */
  lockContainer?: boolean;
  /** Versions of the container running in the pods this form was opened for, to mark them among the fleet's. */
  currentVersions?: readonly string[];
  onCancel: () => void;
  onCreated: (campaign: CampaignSummary) => void;
}

interface RequestProblem {
  message: string;
  /** Field errors that no input of the form shows. */
  unplaced: FieldError[];
  placedCount: number;
}

function Section(props: { title: string; children: ReactNode }) {
  return (
    <Box component="section" mt={2}>
      <Typography variant="subtitle1" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

/** Campaign inputs, a dry-run plan, and the start button that only a fresh plan enables. */
export function CampaignForm(props: CampaignFormProps) {
  const {
    prefill,
    lockContainer = false,
    currentVersions,
    onCancel,
    onCreated,
  } = props;
  const api = useApi(sidecarsApiRef);
  const [values, setValues] = useState(() =>
    initialCampaignFormValues(prefill),
  );
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<RequestProblem>();
  const [plan, setPlan] = useState<PlanResponse>();
  const [busy, setBusy] = useState<'planning' | 'starting'>();
  const { fleet, loading: loadingFleet } = useFleet(values.container);

  // Suggest the newest fleet version once, unless the user already chose an image.
  const suggested = useRef(Boolean(prefill?.targetImage));
  useEffect(() => {
    const newest = fleet?.versions.find(
      version => version.version === fleet.newestVersion,
    );
    if (suggested.current || !newest) return;
    suggested.current = true;
    setValues(current =>
      current.targetImage ? current : { ...current, targetImage: newest.image },
    );
  }, [fleet]);

  const onChange = (patch: CampaignFormPatch) => {
    setValues(current => ({ ...current, ...patch }));
    setPlan(undefined);
  };
  const errorFor = (path: string) => fieldErrors[path];

  const showProblem = (error: unknown) => {
    const fields = error instanceof SidecarsApiError ? error.fields : [];
    const placed = placeFieldErrors(fields, values);
    setFieldErrors(placed.byInput);
    setProblem({
      message: error instanceof Error ? error.message : String(error),
      unplaced: placed.unplaced,
      placedCount: fields.length - placed.unplaced.length,
    });
  };

  const run = async (kind: 'planning' | 'starting') => {
    setBusy(kind);
    setProblem(undefined);
    setFieldErrors({});
    try {
      const spec = toCampaignSpec(values);
      if (kind === 'planning') setPlan(await api.planCampaign(spec));
      else onCreated(await api.createCampaign(spec, plan?.fingerprint));
    } catch (error) {
      setPlan(undefined);
      showProblem(error);
    } finally {
      setBusy(undefined);
    }
  };

  const sectionProps = { values, onChange, errorFor };
  return (
    <>
      <DialogContent dividers>
        {problem && (
          <Alert severity="error" role="alert">
            <AlertTitle>{problem.message}</AlertTitle>
            {problem.placedCount > 0 && (
              <div>
                Fix the highlighted fields below, then preview the plan again.
              </div>
            )}
            {problem.unplaced.map(error => (
              <div key={`${error.field}:${error.message}`}>
                {error.field ? <strong>{error.field}: </strong> : null}
                {error.message}
              </div>
            ))}
          </Alert>
        )}
        <Section title="What to upgrade">
          <TargetSection
            {...sectionProps}
            fleet={fleet}
            loadingFleet={loadingFleet}
            lockContainer={lockContainer}
            currentVersions={currentVersions}
          />
        </Section>
        <Section title="Which pods">
          <SelectorSection {...sectionProps} />
        </Section>
        {!values.entityRef && (
          <Section title="Waves">
            <WavesSection
              {...sectionProps}
              configuredClusters={fleet?.clusters ?? []}
              loadingClusters={loadingFleet}
            />
          </Section>
        )}
        <Section title="How">
          <StrategySection {...sectionProps} />
          <CanarySection {...sectionProps} />
        </Section>
        <Section title="When">
          <ScheduleSection {...sectionProps} />
        </Section>
        <Section title="Health gates">
          <AnalysisSection {...sectionProps} />
        </Section>
        <Divider />
        {plan ? (
          <PlanPreview plan={plan} />
        ) : (
          <Box mt={2}>
            <Typography variant="body2" color="textSecondary">
              Preview the plan to see which pods each batch takes. Nothing
              starts until you press Start campaign.
            </Typography>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button
          variant="outlined"
          color="primary"
          disabled={busy !== undefined}
          onClick={() => run('planning')}
        >
          {busy === 'planning' ? 'Planning…' : 'Preview plan'}
        </Button>
        <Button
          variant="contained"
          color="primary"
          disabled={busy !== undefined || !plan || plan.batches.length === 0}
          onClick={() => run('starting')}
        >
          {busy === 'starting' ? 'Starting…' : 'Start campaign'}
        </Button>
      </DialogActions>
    </>
  );
}
