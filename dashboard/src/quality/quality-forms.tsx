/** History commands: record an output, assess an entry, start an analysis job. */
import { useMutation } from '@apollo/client/react';
import type { Entry } from '../apollo/types.js';
import { Choice, CommandForm, Field, text } from '../ui/command-form.js';
import { formatScore } from '../ui/format.js';
import { ASSESS_QUALITY, CREATE_ENTRY, QUALITY, START_ANALYSIS } from './operations.js';

const SUBJECT_TYPES = [
  { value: 'CAMPAIGN', label: 'Campaign' },
  { value: 'PRODUCT', label: 'Product' },
] as const;

export function QualityForms({ entries }: { readonly entries: readonly Entry[] }) {
  // New entries and jobs are not in the loaded lists: those are read again.
  const [createEntry] = useMutation(CREATE_ENTRY, { refetchQueries: [QUALITY] });
  const [assessQuality] = useMutation(ASSESS_QUALITY);
  const [startAnalysis] = useMutation(START_ANALYSIS, { refetchQueries: [QUALITY] });
  const entryChoices = entries.map((entry) => ({ value: entry.id, label: `${entry.id} (${entry.model})` }));

  return (
    <div className="forms">
      <CommandForm
        name="create-entry"
        title="Record an output"
        action="Record"
        onSubmit={async (form) => {
          const subjectId = text(form, 'subjectId');
          const type = text(form, 'subjectType') === 'PRODUCT' ? 'PRODUCT' : 'CAMPAIGN';
          const { data } = await createEntry({
            variables: {
              input: { model: text(form, 'model'), content: text(form, 'content'), ...(subjectId ? { subject: { type, id: subjectId } } : {}) },
            },
          });
          return `Recorded ${data?.createEntry.entry.id ?? ''}.`;
        }}
      >
        <Field label="Model" name="model" defaultValue="gpt-4o" />
        <Field label="Content" name="content" />
        <Choice label="Subject type" name="subjectType" options={SUBJECT_TYPES} />
        <Field label="Subject id" name="subjectId" placeholder="seed-campaign-1" />
      </CommandForm>
      <CommandForm
        name="assess-quality"
        title="Assess an entry"
        action="Assess"
        onSubmit={async (form) => {
          const { data } = await assessQuality({ variables: { input: { entryId: text(form, 'entryId') } } });
          return `Score ${formatScore(data?.assessQuality.assessment.score)}.`;
        }}
      >
        <Choice label="Entry" name="entryId" options={entryChoices} />
      </CommandForm>
      <CommandForm
        name="start-analysis"
        title="Start an analysis job"
        action="Start"
        onSubmit={async (form) => {
          const model = text(form, 'model');
          const { data } = await startAnalysis({ variables: { input: model ? { filter: { model } } : {} } });
          return `Job ${data?.startAnalysis.job.id ?? ''} started over ${data?.startAnalysis.job.total ?? 0} entries.`;
        }}
      >
        <Field label="Only model (optional)" name="model" placeholder="gpt-4o" />
      </CommandForm>
    </div>
  );
}
