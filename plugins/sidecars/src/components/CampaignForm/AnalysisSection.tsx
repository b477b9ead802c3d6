import {
  Box,
  Button,
  FormHelperText,
  Grid,
  IconButton,
  TextField,
  Typography,
} from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import {
  newAnalysisMetric,
  type AnalysisMetricValues,
} from './analysisFormModel';
import type { CampaignFormSectionProps } from './formModel';

const FIELDS: ReadonlyArray<{
  key: keyof AnalysisMetricValues;
  label: string;
  hint: string;
  width: 2 | 3 | 4 | 6 | 12;
}> = [
  { key: 'name', label: 'Name', hint: 'e.g. success-rate', width: 4 },
  { key: 'interval', label: 'Interval', hint: 'e.g. 30s, 5m', width: 4 },
  { key: 'count', label: 'Measurements', hint: 'per batch', width: 4 },
  {
    key: 'query',
    label: 'Prometheus query',
    hint: "PromQL, run by the worker's Prometheus after each batch",
    width: 12,
  },
  {
    key: 'successCondition',
    label: 'Success condition',
    hint: 'over result, e.g. result[0] >= 0.95',
    width: 6,
  },
  {
    key: 'failureCondition',
    label: 'Failure condition (optional)',
    hint: 'with both, neither holding is inconclusive',
    width: 6,
  },
  {
    key: 'failureLimit',
    label: 'Failures allowed',
    hint: 'more fail the analysis',
    width: 6,
  },
  {
    key: 'inconclusiveLimit',
    label: 'Inconclusive allowed',
    hint: 'more pause the campaign',
    width: 6,
  },
];

/** Metric gates in the Argo Rollouts model: Prometheus queries checked after each batch, during its bake. */
export function AnalysisSection(props: CampaignFormSectionProps) {
  const { values, onChange, errorFor } = props;
  const metrics = values.metrics;
  const update = (index: number, patch: Partial<AnalysisMetricValues>) =>
    onChange({
      metrics: metrics.map((metric, i) =>
        i === index ? { ...metric, ...patch } : metric,
      ),
    });
  return (
    <Box>
      <Typography variant="body2" color="textSecondary">
        {metrics.length === 0
          ? 'None: a batch counts as healthy once its pods are Ready. Add a gate to also check a Prometheus metric after each batch.'
          : 'Checked after each batch, during its bake. A failed analysis counts against the failure budget; an inconclusive one (no data, neither condition, Prometheus unreachable) pauses the campaign.'}
      </Typography>
      {(errorFor('analysis') ?? errorFor('analysis.metrics')) && (
        <FormHelperText error>
          {errorFor('analysis') ?? errorFor('analysis.metrics')}
        </FormHelperText>
      )}
      {metrics.map((metric, index) => {
        const path = `analysis.metrics.${index}`;
        return (
          <Grid
            container
            spacing={1}
            key={index}
            role="group"
            aria-label={`Metric gate ${index + 1}`}
          >
            {FIELDS.map(field => (
              <Grid item xs={12} sm={field.width} key={field.key}>
                <TextField
                  id={`campaign-${path.replace(/\./g, '-')}-${field.key}`}
                  name={`${path}.${field.key}`}
                  label={field.label}
                  fullWidth
                  variant="outlined"
                  margin="dense"
                  value={metric[field.key]}
                  onChange={event =>
                    update(index, { [field.key]: event.target.value })
                  }
                  error={Boolean(errorFor(`${path}.${field.key}`))}
                  helperText={errorFor(`${path}.${field.key}`) ?? field.hint}
                />
              </Grid>
            ))}
            <Grid item xs={12}>
              <IconButton
                aria-label={`Remove metric gate ${index + 1}`}
                onClick={() =>
                  onChange({ metrics: metrics.filter((_, i) => i !== index) })
                }
              >
                <DeleteIcon />
              </IconButton>
            </Grid>
          </Grid>
        );
      })}
      <Button
        startIcon={<AddIcon />}
        onClick={() =>
          onChange({ metrics: [...metrics, newAnalysisMetric(metrics.length)] })
        }
      >
        Add metric gate
      </Button>
    </Box>
  );
}
