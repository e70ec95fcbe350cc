import type { SilenceInput, SilenceView } from '@closewatch/server/api-types';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';

import { ALERTS_KEY } from './keys';

/** `POST /api/v1/silences`: mutes a rule, a service or a label until `endsAt`. Needs a session. */
export function createSilence(input: SilenceInput): Promise<SilenceView> {
  return apiRequest<SilenceView>('/api/v1/silences', { method: 'POST', body: input });
}

export function useCreateSilence({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createSilence,
    onSuccess: () => {
      // Active alerts show whether they are silenced: refresh them too.
      void queryClient.invalidateQueries({ queryKey: [ALERTS_KEY] });
      onSuccess?.();
    },
  });
}
