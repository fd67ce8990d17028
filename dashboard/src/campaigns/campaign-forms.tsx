/** Commands of a campaign: one impression, a batch of impressions, a conversion. */
import { useMutation } from '@apollo/client/react';
import type { Influencer } from '../apollo/types.js';
import { clientId } from '../ui/client-id.js';
import { Choice, CommandForm, Field, text } from '../ui/command-form.js';
import { REGISTER_CONVERSION, REGISTER_IMPRESSION, REGISTER_IMPRESSIONS } from './operations.js';

export function CampaignForms({ campaignId, influencers }: { readonly campaignId: string; readonly influencers: readonly Influencer[] }) {
  const [registerImpression] = useMutation(REGISTER_IMPRESSION);
  const [registerImpressions] = useMutation(REGISTER_IMPRESSIONS);
  const [registerConversion] = useMutation(REGISTER_CONVERSION);
  const choices = influencers.map((influencer) => ({ value: influencer.id, label: `${influencer.handle} (${influencer.platform})` }));

  return (
    <div className="forms">
      <CommandForm
        name="register-impression"
        title="Register an impression"
        action="Register"
        onSubmit={async (form) => {
          const { data } = await registerImpression({
            variables: { input: { campaignId, id: clientId('dash-imp'), influencerId: text(form, 'influencerId') } },
          });
          return `Recorded: ${data?.registerImpression.stats.impressions ?? '?'} impressions now.`;
        }}
      >
        <Choice label="Influencer" name="influencerId" options={choices} />
      </CommandForm>
      <CommandForm
        name="register-impressions"
        title="Register a batch"
        action="Register batch"
        onSubmit={async (form) => {
          const influencerId = text(form, 'influencerId');
          const count = Number(text(form, 'count'));
          const batch = Array.from({ length: Number.isInteger(count) && count > 0 ? count : 0 }, () => ({ id: clientId('dash-imp'), influencerId }));
          const { data } = await registerImpressions({ variables: { input: { campaignId, impressions: batch } } });
          return `Accepted ${data?.registerImpressions.accepted ?? 0}, duplicates ${data?.registerImpressions.duplicates ?? 0}.`;
        }}
      >
        <Choice label="Influencer" name="influencerId" options={choices} />
        <Field label="Impressions" name="count" type="number" min={1} max={10000} defaultValue={100} />
      </CommandForm>
      <CommandForm
        name="register-conversion"
        title="Register a conversion"
        action="Register conversion"
        onSubmit={async (form) => {
          const quantity = Number(text(form, 'quantity'));
          const { data } = await registerConversion({
            variables: {
              input: {
                campaignId,
                id: clientId('dash-conv'),
                influencerId: text(form, 'influencerId'),
                value: { amount: text(form, 'amount'), currency: text(form, 'currency') },
                ...(Number.isInteger(quantity) && quantity > 0 ? { quantity } : {}),
              },
            },
          });
          return `Recorded: ${data?.registerConversion.stats.conversions ?? '?'} conversions now.`;
        }}
      >
        <Choice label="Influencer" name="influencerId" options={choices} />
        <Field label="Amount" name="amount" defaultValue="49.90" inputMode="decimal" />
        <Field label="Currency" name="currency" defaultValue="EUR" maxLength={3} />
        <Field label="Quantity" name="quantity" type="number" min={1} defaultValue={1} />
      </CommandForm>
    </div>
  );
}
